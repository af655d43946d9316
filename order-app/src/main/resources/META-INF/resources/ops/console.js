// The operator console. The page holds no data of its own: every figure comes from order-app's console API
// (/ops/console/...), called with the operator's bearer token, which stays in this tab's sessionStorage.
'use strict';

const TOKEN_KEY = 'ops.token';
const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function showTokenState() {
  $('token-state').textContent = token() ? 'token set for this tab' : 'no token: paste one (make -s token SUB=ops ROLES=operator)';
}

function message(text, isError) {
  const m = $('message');
  m.textContent = text || '';
  m.className = isError ? 'error' : 'muted';
}

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (token()) {
    headers['Authorization'] = 'Bearer ' + token();
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch('/ops/console' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { detail: text }; }
  }
  if (!response.ok) {
    const why = data && (data.detail || data.title) ? (data.detail || data.title) : response.statusText;
    const error = new Error('HTTP ' + response.status + ': ' + why);
    error.status = response.status;
    throw error;
  }
  return data;
}

// --- small DOM helpers: text only, never HTML from data ---
function cell(tr, value, cls) {
  const td = document.createElement('td');
  if (value instanceof Node) {
    td.appendChild(value);
  } else {
    td.textContent = value === null || value === undefined ? '' : String(value);
  }
  if (cls) {
    td.className = cls;
  }
  tr.appendChild(td);
  return td;
}

function clear(el) {
  while (el.firstChild) {
    el.removeChild(el.firstChild);
  }
}

function button(label, onClick, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (cls) {
    b.className = cls;
  }
  b.addEventListener('click', onClick);
  return b;
}

function lines(items) {
  const div = document.createElement('div');
  items.forEach((text) => {
    const line = document.createElement('div');
    line.textContent = text;
    div.appendChild(line);
  });
  return div;
}

function serviceList(ul, services) {
  clear(ul);
  (services || []).forEach((s) => {
    const li = document.createElement('li');
    li.className = 'service';
    li.dataset.service = s.service;
    if (s.available) {
      li.textContent = s.service + ': answered';
      li.classList.add('ok');
    } else {
      li.textContent = s.service + ': unavailable (' + (s.error || 'no answer') + ')';
      li.classList.add('unavailable');
    }
    ul.appendChild(li);
  });
}

// --- one order or one event ---
let current = null; // { kind, id }

async function search(kind, id) {
  id = id.trim();
  if (!id) {
    message('enter an id', true);
    return;
  }
  message('loading ' + kind + ' ' + id + ' ...');
  try {
    const data = await api('GET', (kind === 'order' ? '/orders/' : '/events/') + encodeURIComponent(id));
    current = { kind, id };
    render(kind, id, data);
    message('');
  } catch (e) {
    message(e.message, true);
  }
}

function render(kind, id, data) {
  $('result').hidden = false;
  $('result-title').textContent = (kind === 'order' ? 'Order ' : 'Event ') + id;
  serviceList($('services'), data.services);
  renderState(data);
  renderEvents(data.events || []);
  renderTimeline(data.timeline || []);
  renderParked($('parked').tBodies[0], data.parked || [], false);
  renderAudit($('audit').tBodies[0], data.audit || [], false);
}

function renderState(data) {
  const box = $('state');
  clear(box);
  const dl = document.createElement('dl');
  const add = (label, value) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.className = 'mono';
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  };
  if (data.order) {
    add('order (order-app)', data.order.status + (data.order.reason ? ' ' + data.order.reason : '')
      + ', placed ' + data.order.placedAt + (data.order.couponCode ? ', coupon ' + data.order.couponCode : ''));
  } else if (data.orderId) {
    add('order (order-app)', 'no such order in order-app');
  }
  (data.services || []).forEach((s) => {
    add(s.service, s.available ? JSON.stringify(s.state || {}, null, 1) : 'unavailable');
  });
  box.appendChild(dl);
}

function renderEvents(events) {
  const body = $('events').tBodies[0];
  clear(body);
  events.forEach((e) => {
    const tr = document.createElement('tr');
    tr.dataset.eventId = e.eventId;
    cell(tr, e.eventId, 'mono');
    cell(tr, e.type);
    cell(tr, e.producer || '');
    cell(tr, e.writtenAt || '', 'mono');
    cell(tr, e.topic ? e.topic + ' / ' + e.partition + ' / ' + e.offset : (e.published ? 'published' : ''), 'mono');
    cell(tr, e.publishedAt || '', 'mono');
    cell(tr, lines((e.consumers || []).map((c) => c.consumer + ': ' + c.outcome + ' at ' + c.at)), 'mono');
    const caused = [];
    (e.consumers || []).forEach((c) => (c.caused || []).forEach((id) => caused.push(id)));
    cell(tr, lines(caused), 'mono');
    cell(tr, e.traceparent || '', 'mono');
    body.appendChild(tr);
  });
  if (!events.length) {
    const tr = document.createElement('tr');
    cell(tr, 'no events known to the services that answered').colSpan = 9;
    body.appendChild(tr);
  }
}

function renderTimeline(steps) {
  const body = $('timeline').tBodies[0];
  clear(body);
  steps.forEach((s) => {
    const tr = document.createElement('tr');
    cell(tr, s.at || '', 'mono');
    cell(tr, s.who);
    cell(tr, s.what, 'outcome-' + String(s.what).split(' ')[0]);
    cell(tr, s.eventId || '', 'mono');
    cell(tr, s.type || '');
    cell(tr, s.detail || '');
    body.appendChild(tr);
  });
}

function renderParked(body, rows, withOrder) {
  clear(body);
  rows.forEach((p) => {
    const tr = document.createElement('tr');
    tr.dataset.eventId = p.eventId;
    cell(tr, p.service);
    cell(tr, p.consumer);
    if (withOrder) {
      cell(tr, p.orderId, 'mono');
    }
    cell(tr, p.eventId, 'mono');
    cell(tr, p.type);
    cell(tr, p.parkedAt, 'mono');
    if (!withOrder) {
      cell(tr, p.status, 'status-' + p.status);
    }
    cell(tr, p.reason + (p.waitingBehind ? ' (behind ' + p.waitingBehind + ')' : ''), 'reason');
    const actions = document.createElement('span');
    if (!p.status || p.status === 'parked') {
      actions.appendChild(button('Replay', () => confirmAction('replay', p), 'replay'));
      actions.appendChild(button('Skip', () => confirmAction('skip', p), 'skip'));
    }
    cell(tr, actions);
    body.appendChild(tr);
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    cell(tr, 'nothing parked').colSpan = 8;
    body.appendChild(tr);
  }
}

function renderAudit(body, rows, withOrder) {
  clear(body);
  rows.forEach((a) => {
    const tr = document.createElement('tr');
    cell(tr, a.at, 'mono');
    cell(tr, a.actor, 'actor');
    cell(tr, a.action, 'action');
    cell(tr, a.service);
    cell(tr, a.consumer);
    if (withOrder) {
      cell(tr, a.orderId, 'mono');
    }
    cell(tr, a.eventId, 'mono');
    cell(tr, a.reason);
    cell(tr, a.outcome);
    body.appendChild(tr);
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    cell(tr, 'no operator actions').colSpan = 9;
    body.appendChild(tr);
  }
}

// --- replay / skip: a confirmation step with a required reason ---
let pending = null;

function confirmAction(action, parked) {
  pending = { action, parked };
  $('confirm-title').textContent = (action === 'replay' ? 'Replay' : 'Skip') + ' a parked event of ' + parked.service;
  $('confirm-what').textContent = parked.consumer + ' ' + parked.eventId + ' (' + parked.type + ', order ' + parked.orderId + ')'
    + (action === 'replay' ? ': applies this order\'s parked events in parking order' : ': marks only this event done, unapplied');
  $('confirm-reason').value = '';
  $('confirm-error').textContent = '';
  $('confirm-go').textContent = 'Confirm ' + action;
  $('confirm').showModal();
}

async function confirmed(event) {
  event.preventDefault();
  const reason = $('confirm-reason').value.trim();
  if (!reason) {
    $('confirm-error').textContent = 'a reason is required';
    return;
  }
  const { action, parked } = pending;
  try {
    const result = await api('POST', '/parked/' + encodeURIComponent(parked.service) + '/' + encodeURIComponent(parked.consumer)
      + '/' + encodeURIComponent(parked.eventId) + '/' + action, { reason });
    $('confirm').close();
    $('action-result').textContent = action + ' of ' + parked.eventId + ' by ' + parked.service + ' (' + parked.consumer + '): '
      + (result.outcome || 'done')
      + (result.replayed && result.replayed.length ? '; replayed ' + result.replayed.join(', ') : '')
      + (result.stillParked && result.stillParked.length ? '; still parked ' + result.stillParked.join(', ') : '');
    if (current) {
      await search(current.kind, current.id);
    }
    loadParked();
    loadAudit();
  } catch (e) {
    $('confirm-error').textContent = e.message;
  }
}

// --- one Kafka record ---
async function readRecord(topic, partition, offset) {
  message('reading ' + topic + '/' + partition + '@' + offset + ' ...');
  try {
    const r = await api('GET', '/records/' + encodeURIComponent(topic.trim()) + '/' + encodeURIComponent(partition.trim())
      + '/' + encodeURIComponent(offset.trim()));
    const dl = $('record');
    clear(dl);
    const add = (label, value) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.className = 'mono';
      dd.textContent = value === null || value === undefined ? '(none)' : value;
      dl.appendChild(dt);
      dl.appendChild(dd);
    };
    add('topic / partition / offset', r.topic + ' / ' + r.partition + ' / ' + r.offset);
    add('timestamp', r.timestamp + ' (' + r.timestampType + ')');
    add('key', r.key);
    Object.entries(r.headers || {}).forEach(([k, v]) => add('header ' + k, v));
    let value = r.value;
    try { value = JSON.stringify(JSON.parse(r.value), null, 2); } catch (e) { /* not JSON: shown as it is */ }
    add('value', value);
    $('record-result').hidden = false;
    message('');
  } catch (e) {
    $('record-result').hidden = true;
    message(e.message, true);
  }
}

// --- overview ---
async function loadBacklog() {
  const box = $('backlog');
  clear(box);
  try {
    const data = await api('GET', '/backlog');
    const table = document.createElement('table');
    table.id = 'backlog-services';
    const head = document.createElement('tr');
    ['service', 'relay slot', 'relay lag (bytes)', 'retained WAL (bytes)', 'slot active', 'oldest unpublished (s)',
      'parked per consumer', 'duplicates in 24 h'].forEach((h) => {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    });
    table.appendChild(head);
    (data.services || []).forEach((s) => {
      const tr = document.createElement('tr');
      tr.dataset.service = s.service;
      cell(tr, s.service);
      if (!s.available) {
        cell(tr, 'unavailable (' + (s.error || 'no answer') + ')', 'unavailable').colSpan = 7;
      } else {
        const b = s.backlog || {};
        const relay = b.relay || {};
        cell(tr, relay.slot, 'mono');
        cell(tr, relay.lagBytes, 'mono');
        cell(tr, relay.retainedBytes, 'mono');
        cell(tr, relay.active);
        cell(tr, relay.oldestUnpublishedAgeSeconds === null || relay.oldestUnpublishedAgeSeconds === undefined
          ? 'none' : relay.oldestUnpublishedAgeSeconds, 'mono');
        cell(tr, lines(Object.entries(b.parked || {}).map(([c, n]) => c + ': ' + n)), 'mono');
        cell(tr, lines(Object.entries(b.duplicates24h || {}).map(([c, n]) => c + ': ' + n)), 'mono');
      }
      table.appendChild(tr);
    });
    box.appendChild(table);

    const h = document.createElement('h3');
    h.textContent = 'Consumer lag per group and partition';
    box.appendChild(h);
    const lag = data.consumerLag || {};
    if (!lag.available) {
      const p = document.createElement('p');
      p.className = 'unavailable';
      p.textContent = 'Kafka: unavailable (' + (lag.error || 'no answer') + ')';
      box.appendChild(p);
      return;
    }
    const lt = document.createElement('table');
    lt.id = 'consumer-lag';
    const lh = document.createElement('tr');
    ['group', 'topic', 'partition', 'committed', 'end', 'lag'].forEach((t) => {
      const th = document.createElement('th');
      th.textContent = t;
      lh.appendChild(th);
    });
    lt.appendChild(lh);
    (lag.partitions || []).forEach((l) => {
      const tr = document.createElement('tr');
      cell(tr, l.group);
      cell(tr, l.topic, 'mono');
      cell(tr, l.partition, 'mono');
      cell(tr, l.committed, 'mono');
      cell(tr, l.end, 'mono');
      cell(tr, l.lag, 'mono lag');
      lt.appendChild(tr);
    });
    box.appendChild(lt);
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = e.message;
    box.appendChild(p);
  }
}

async function loadParked() {
  try {
    const data = await api('GET', '/parked');
    serviceList($('parked-services'), data.services);
    renderParked($('all-parked').tBodies[0], data.rows || [], true);
  } catch (e) {
    message(e.message, true);
  }
}

async function loadAudit() {
  try {
    const data = await api('GET', '/audit');
    serviceList($('audit-services'), data.services);
    renderAudit($('all-audit').tBodies[0], data.rows || [], true);
  } catch (e) {
    message(e.message, true);
  }
}

function loadOverview() {
  if (!token()) {
    return;
  }
  loadBacklog();
  loadParked();
  loadAudit();
}

// --- wiring ---
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim().replace(/^Bearer\s+/i, '');
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  }
  $('token').value = '';
  showTokenState();
  loadOverview();
});
$('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showTokenState();
});
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  search($('search-kind').value, $('search-value').value);
});
$('record-form').addEventListener('submit', (e) => {
  e.preventDefault();
  readRecord($('topic').value, $('partition').value, $('offset').value);
});
$('confirm-form').addEventListener('submit', confirmed);
$('confirm-reason').addEventListener('input', () => { $('confirm-error').textContent = ''; });
$('confirm-cancel').addEventListener('click', () => $('confirm').close());
$('backlog-go').addEventListener('click', loadBacklog);
$('parked-go').addEventListener('click', loadParked);
$('audit-go').addEventListener('click', loadAudit);

showTokenState();
loadOverview();
