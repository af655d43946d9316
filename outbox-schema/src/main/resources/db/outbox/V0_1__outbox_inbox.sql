-- The outbox: columns follow Debezium's EventRouter defaults, so the relay needs almost no configuration.
CREATE TABLE outbox (
    id            uuid         PRIMARY KEY,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       jsonb,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    -- W3C traceparent of the request that wrote the event, for tracing one event end to end
    traceparent   varchar(55)
);
CREATE INDEX outbox_created_at ON outbox (created_at);

-- The relay's heartbeat writes here so that an idle outbox does not pin WAL (see outbox-relay).
CREATE TABLE outbox_heartbeat (
    id      int         PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
INSERT INTO outbox_heartbeat VALUES (1, now());

-- The inbox: one row per (consumer, event) applied, written in the transaction that applied it.
CREATE TABLE inbox (
    consumer    varchar(100) NOT NULL,
    event_id    uuid         NOT NULL,
    received_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX inbox_received_at ON inbox (received_at);

-- Only inserts and the heartbeat's updates leave the database: the outbox's own deletes stay local.
CREATE PUBLICATION outbox_publication FOR TABLE outbox, outbox_heartbeat WITH (publish = 'insert, update');
