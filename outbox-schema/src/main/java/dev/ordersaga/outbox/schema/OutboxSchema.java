package dev.ordersaga.outbox.schema;

/**
 * What the migrations under {@value #LOCATION} create, by name. The SQL ({@code V0_2__outbox_slot.sql}) derives
 * the slot name by the same rule as {@link #slotName}; {@code OutboxTest} pins the two together.
 */
public final class OutboxSchema {

    /** Flyway location of the migrations, to list before a service's own. */
    public static final String LOCATION = "db/outbox";

    public static final String PUBLICATION = "outbox_publication";

    public static final String OUTBOX_TABLE = "outbox";

    public static final String HEARTBEAT_TABLE = "outbox_heartbeat";

    /** What a relay's heartbeat runs (Debezium's {@code heartbeat.action.query}): a change the idle slot can confirm. */
    public static final String HEARTBEAT_QUERY = "UPDATE " + HEARTBEAT_TABLE + " SET beat_at = now() WHERE id = 1";

    /**
     * Outbox columns no relay publishes. The publication's column list leaves them out of the log's change messages
     * ({@code V0_7__publication_columns.sql}: Debezium decoded them before dropping them, 6.7-8 % of the relay's drain
     * samples); the connector's {@code column.exclude.list} names them too, so they stay out of the change records
     * whatever schema Debezium reads from the table.
     */
    public static final String UNPUBLISHED_COLUMNS = "public." + OUTBOX_TABLE + ".created_at";

    /** The outbox column with the W3C traceparent of the writer's span, published as the record header of that name. */
    public static final String TRACEPARENT = "traceparent";

    private OutboxSchema() {
    }

    /** Slots are per cluster, not per database: one slot per service database, named after it. */
    public static String slotName(String database) {
        return "outbox_" + database;
    }

    /**
     * Where the relay keeps a source's offsets (Debezium's JDBC offset store, in the relay's offsets database): named
     * here so that what cleans up after a source (the bench) finds it.
     */
    public static String relayOffsetsTable(String source) {
        return "relay_offsets_" + source;
    }
}
