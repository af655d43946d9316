-- Only the outbox columns a relay publishes leave the database (a column list, Postgres 15+): created_at is for
-- retention and the backlog gauges, read here, never from the log. Debezium decodes every column pgoutput sends,
-- excluded or not (the timestamptz parse was 6.7-8 % of the relay's drain samples), so the list spares that work.
-- A new outbox column is not published until it is named here (OutboxTest pins the list).
ALTER PUBLICATION outbox_publication SET TABLE outbox (id, aggregatetype, aggregateid, type, payload, traceparent),
    outbox_heartbeat;
