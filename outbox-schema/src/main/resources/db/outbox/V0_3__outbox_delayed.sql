-- Delayed events (Outbox.schedule): written in the caller's transaction, moved into the outbox at deliver_at by
-- the poller of every instance (FOR UPDATE SKIP LOCKED: each row fires once). Not in the publication: only the
-- outbox row a firing writes leaves the database, so a pending event costs the relay nothing.
CREATE TABLE outbox_delayed (
    id            uuid         PRIMARY KEY,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       jsonb,
    deliver_at    timestamptz  NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX outbox_delayed_deliver_at ON outbox_delayed (deliver_at);
