-- Outbox events Kafka refused for good (too large, a topic name it does not accept): the relay parks them here
-- with the reason and goes on, instead of stopping its source on the same row over and over. An operator
-- republishes or discards them (README, "When Kafka refuses an event").
CREATE TABLE relay_parked_event (
    source       text        NOT NULL,
    event_id     text        NOT NULL,
    topic        text        NOT NULL,
    aggregate_id text,
    event_type   text,
    payload      text,
    reason       text        NOT NULL,
    parked_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);
