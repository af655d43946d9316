-- A delayed event keeps the traceparent of the span that scheduled it (Outbox.schedule) until it fires: the outbox row
-- the firing writes carries it on, so the consumers of a deadline continue the trace of the order that set it.
ALTER TABLE outbox_delayed ADD COLUMN traceparent varchar(55);
