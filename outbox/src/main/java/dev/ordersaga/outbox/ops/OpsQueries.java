package dev.ordersaga.outbox.ops;

import dev.ordersaga.outbox.ops.OpsViews.Audit;
import dev.ordersaga.outbox.ops.OpsViews.Consumed;
import dev.ordersaga.outbox.ops.OpsViews.Relay;
import dev.ordersaga.outbox.ops.OpsViews.Written;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The reads of the ops API over the journals, the relay's slot and the operators' actions; no transaction. */
@ApplicationScoped
class OpsQueries {

    private static final String SLOT = "'outbox_' || current_database()";

    private static final String WRITTEN = """
            SELECT j.event_id, j.type, j.aggregatetype, j.aggregateid, j.written_at, j.traceparent,
                   coalesce(j.wal_lsn <= s.confirmed_flush_lsn, false)
            FROM outbox_journal j LEFT JOIN pg_replication_slots s ON s.slot_name = %s
            WHERE j.%s = ? ORDER BY j.written_at, j.event_id""";

    // a batch applies many orders in one transaction: of its outbox rows, those of the delivery's order
    private static final String CONSUMED = """
            SELECT c.consumer, c.event_id, c.event_type, c.order_id, c.topic, c.kafka_partition, c.kafka_offset,
                   c.published_at, c.outcome, c.at, c.traceparent,
                   ARRAY(SELECT o.event_id FROM outbox_journal o
                         WHERE c.outcome IN ('applied', 'replayed') AND o.txid = c.txid AND o.aggregateid = c.order_id
                         ORDER BY o.written_at)
            FROM consumer_journal c WHERE c.%s = ? ORDER BY c.at, c.id""";

    private final DataSource dataSource;

    OpsQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<Written> writtenForOrder(String orderId) {
        return written(WRITTEN.formatted(SLOT, "aggregateid"), orderId);
    }

    List<Written> writtenEvent(UUID eventId) {
        return written(WRITTEN.formatted(SLOT, "event_id"), eventId);
    }

    List<Consumed> consumedForOrder(String orderId) {
        return consumed(CONSUMED.formatted("order_id"), orderId);
    }

    List<Consumed> consumedEvent(UUID eventId) {
        return consumed(CONSUMED.formatted("event_id"), eventId);
    }

    List<Audit> audit(String orderId, int limit) {
        String sql = "SELECT at, actor, action, consumer, event_id, order_id, reason, outcome FROM parked_action "
                + (orderId == null ? "" : "WHERE order_id = ? ") + "ORDER BY at DESC, id DESC LIMIT ?";
        Object[] parameters = orderId == null ? new Object[] {limit} : new Object[] {orderId, limit};
        return query(sql, rs -> new Audit(iso(rs.getTimestamp(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), rs.getString(8)), parameters);
    }

    /** The slot's lag: null fields when the slot does not exist. */
    Relay relay() {
        List<Relay> found = query("""
                SELECT s.slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint, s.active,
                       (SELECT extract(epoch FROM clock_timestamp() - min(j.written_at))::float8 FROM outbox_journal j
                        WHERE j.wal_lsn > s.confirmed_flush_lsn)
                FROM pg_replication_slots s WHERE s.slot_name = %s""".formatted(SLOT),
                rs -> new Relay(rs.getString(1), rs.getObject(2, Long.class), rs.getObject(3, Long.class),
                        rs.getObject(4, Boolean.class), rs.getObject(5, Double.class)));
        if (!found.isEmpty()) {
            return found.get(0);
        }
        String slot = query("SELECT " + SLOT, rs -> rs.getString(1)).get(0);
        return new Relay(slot, null, null, null, null);
    }

    Map<String, Long> duplicatesLastDay() {
        Map<String, Long> counts = new TreeMap<>();
        query("SELECT consumer, count(*) FROM consumer_journal WHERE outcome = 'duplicate' AND at > now() - interval '24 hours' "
                + "GROUP BY consumer", rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    private List<Written> written(String sql, Object key) {
        return query(sql, rs -> new Written(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                iso(rs.getTimestamp(5)), rs.getString(6), rs.getBoolean(7)), key);
    }

    private List<Consumed> consumed(String sql, Object key) {
        return query(sql, rs -> new Consumed(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6), rs.getLong(7), iso(rs.getTimestamp(8)), rs.getString(9),
                iso(rs.getTimestamp(10)), rs.getString(11), uuids(rs.getArray(12))), key);
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("ops query failed: " + e.getMessage(), e);
        }
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(UUID.class::cast).toList();
    }

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
