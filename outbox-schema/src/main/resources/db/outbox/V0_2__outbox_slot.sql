-- The slot exists from the moment the schema does: everything committed from now on is kept for the relay,
-- even if the relay has never run. Named outbox_<database> because slots are per cluster, not per database.
SELECT pg_create_logical_replication_slot('outbox_' || current_database(), 'pgoutput')
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = 'outbox_' || current_database());
