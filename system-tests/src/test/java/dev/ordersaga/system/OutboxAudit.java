package dev.ordersaga.system;

import dev.ordersaga.stack.StackEndpoints;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ground truth of what the services committed to their outboxes, independent of the relay: a second logical
 * slot per database, decoded by Postgres's {@code test_decoding}, lists every outbox insert in commit order.
 * (The services delete each outbox row in the transaction that writes it, so the table itself shows nothing.)
 */
final class OutboxAudit implements AutoCloseable {

    /** One outbox row as committed: the topic it is routed to, its key and its event id. */
    record Row(String database, String id, String topic, String key, String type) {
    }

    private static final Pattern INSERT = Pattern.compile(
            "^table public\\.outbox: INSERT: id\\[uuid\\]:'([^']+)' aggregatetype\\[character varying\\]:'([^']*)' "
                    + "aggregateid\\[character varying\\]:'([^']*)' type\\[character varying\\]:'([^']*)'");

    private final StackEndpoints stack;
    private final Map<String, String> slots = new LinkedHashMap<>();
    /** When the audit began: nothing it lists was committed before. */
    final java.time.Instant started = java.time.Instant.now();

    OutboxAudit(StackEndpoints stack, List<String> databases) throws SQLException {
        this.stack = stack;
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        for (String db : databases) {
            String slot = "audit_" + db + "_" + suffix;
            try (Connection c = stack.connect(db); Statement s = c.createStatement()) {
                s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
            }
            slots.put(db, slot);
        }
    }

    /** Every outbox insert committed since the audit began, per database in commit order. */
    List<Row> committed() throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : slots.entrySet()) {
            try (Connection c = stack.connect(e.getKey());
                 PreparedStatement q = c.prepareStatement(
                         "SELECT data FROM pg_logical_slot_peek_changes(?, NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')")) {
                q.setString(1, e.getValue());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Matcher m = INSERT.matcher(rs.getString(1));
                        if (m.find()) {
                            rows.add(new Row(e.getKey(), m.group(1), m.group(2) + ".events", m.group(3), m.group(4)));
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Drops the audit slots: a slot nobody reads keeps WAL forever. */
    @Override
    public void close() throws SQLException {
        for (Map.Entry<String, String> e : slots.entrySet()) {
            try (Connection c = stack.connect(e.getKey()); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + e.getValue() + "')");
            }
        }
    }
}
