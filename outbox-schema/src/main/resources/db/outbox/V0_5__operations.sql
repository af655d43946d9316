-- Operations: what each service wrote and each consumer did, kept after delete-after-insert empties the outbox, and
-- the events a consumer parked, with what operators did about them. None of these tables is in the publication:
-- nothing here leaves the database.

-- What this service wrote to its outbox. A trigger and not Outbox.add, so that every writer is journaled (the
-- delayed-event poller's firings, bulk SQL). txid ties an event to the delivery that caused it (consumer_journal).
CREATE TABLE outbox_journal (
    event_id      uuid         PRIMARY KEY,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    written_at    timestamptz  NOT NULL DEFAULT clock_timestamp(),
    txid          bigint       NOT NULL DEFAULT txid_current(),
    -- published once the relay's slot has confirmed past it
    wal_lsn       pg_lsn       NOT NULL DEFAULT pg_current_wal_insert_lsn(),
    traceparent   varchar(55)
);
CREATE INDEX outbox_journal_aggregateid ON outbox_journal (aggregateid);
CREATE INDEX outbox_journal_written_at ON outbox_journal (written_at);
CREATE INDEX outbox_journal_wal_lsn ON outbox_journal (wal_lsn);
CREATE INDEX outbox_journal_txid ON outbox_journal (txid);

CREATE FUNCTION outbox_journal_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_journal (event_id, aggregatetype, aggregateid, type, traceparent)
    VALUES (NEW.id, NEW.aggregatetype, NEW.aggregateid, NEW.type, NEW.traceparent)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_journal_write AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_journal_write();

-- What each consumer did with each delivery: applied | duplicate | skipped | parked | replayed | skipped-by-operator.
CREATE TABLE consumer_journal (
    id              bigserial    PRIMARY KEY,
    consumer        varchar(100) NOT NULL,
    event_id        uuid         NOT NULL,
    -- text, as the record's headers and key came: the journal never refuses a delivery
    event_type      text,
    order_id        text,
    topic           varchar(255) NOT NULL,
    kafka_partition int          NOT NULL,
    kafka_offset    bigint       NOT NULL,
    -- the Kafka record's timestamp
    published_at    timestamptz,
    outcome         varchar(32)  NOT NULL,
    at              timestamptz  NOT NULL DEFAULT clock_timestamp(),
    txid            bigint       DEFAULT txid_current(),
    traceparent     varchar(55)
);
CREATE INDEX consumer_journal_order_id ON consumer_journal (order_id);
CREATE INDEX consumer_journal_event_id ON consumer_journal (event_id);
CREATE INDEX consumer_journal_at ON consumer_journal (at);

-- Events a consumer did not apply, with the record as it came, until an operator replays or skips them. Later events
-- of a parked order park behind the first (waiting_behind), so that an order's events are applied in their order.
CREATE TABLE parked_event (
    id              bigserial    PRIMARY KEY,
    consumer        varchar(100) NOT NULL,
    event_id        uuid         NOT NULL,
    -- text, as the record's headers and key came: the journal never refuses a delivery
    event_type      text,
    order_id        text,
    topic           varchar(255) NOT NULL,
    kafka_partition int          NOT NULL,
    kafka_offset    bigint       NOT NULL,
    headers         jsonb,
    -- the bytes as they came, which need not be text
    payload         bytea,
    reason          text         NOT NULL,
    waiting_behind  uuid,
    parked_at       timestamptz  NOT NULL DEFAULT now(),
    status          varchar(16)  NOT NULL DEFAULT 'parked',
    resolved_at     timestamptz,
    UNIQUE (consumer, event_id)
);
CREATE INDEX parked_event_parked ON parked_event (consumer, order_id) WHERE status = 'parked';

-- What operators did about parked events (replay | skip), by whom and why.
CREATE TABLE parked_action (
    id       bigserial    PRIMARY KEY,
    consumer varchar(100) NOT NULL,
    event_id uuid         NOT NULL,
    order_id text,
    action   varchar(16)  NOT NULL,
    actor    varchar(255) NOT NULL,
    reason   text         NOT NULL,
    outcome  text         NOT NULL,
    at       timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX parked_action_order_id ON parked_action (order_id);
CREATE INDEX parked_action_at ON parked_action (at);
