package dev.ordersaga.outbox.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code parked_event} table: what a consumer parked, per order, until an operator replays or skips it. The
 * consumer reads the heads of its batch's orders with {@code FOR SHARE} and a replay locks a head {@code FOR UPDATE},
 * so that an event never parks behind a head that a replay has just resolved.
 */
@ApplicationScoped
public class ParkedEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COUNT_CACHE = Duration.ofSeconds(10);
    static final String COLUMNS = """
            id, consumer, event_id, event_type, order_id, topic, kafka_partition, kafka_offset, headers::text, payload,
            reason, waiting_behind, parked_at, status, resolved_at""";

    private final EntityManager em;
    private final DataSource dataSource;
    private final MeterRegistry metrics;
    private volatile Map<String, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.EPOCH;

    public ParkedEvents(EntityManager em, DataSource dataSource, MeterRegistry metrics) {
        this.em = em;
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /**
     * A delivery to park: the record as it came ({@code payload} null if it had none; {@code publishedAt} the record's
     * timestamp in epoch millis, or null).
     */
    record Parking(UUID eventId, String type, String orderId, String topic, int partition, long offset, Long publishedAt,
                   Map<String, String> headers, byte[] payload, String reason, UUID waitingBehind) {

        Parking behind(UUID head) {
            return new Parking(eventId, type, orderId, topic, partition, offset, publishedAt, headers, payload, reason, head);
        }
    }

    /** The first parked event of each of these orders that has one, locked against a replay resolving it meanwhile. */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<String, UUID> headsOf(String consumer, Collection<String> orderIds) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            Map<String, UUID> heads = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT order_id, event_id FROM parked_event
                    WHERE consumer = ? AND status = 'parked' AND order_id = ANY(?) ORDER BY id FOR SHARE""")) {
                select.setString(1, consumer);
                select.setArray(2, c.createArrayOf("varchar", orderIds.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        heads.putIfAbsent(rs.getString(1), rs.getObject(2, UUID.class));
                    }
                }
            }
            return heads;
        });
    }

    /** Parks the delivery; false if this consumer had parked that event before (a redelivery). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean park(String consumer, Parking p) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO parked_event (consumer, event_id, event_type, order_id, topic, kafka_partition, kafka_offset,
                                              headers, payload, reason, waiting_behind)
                    VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)
                    ON CONFLICT (consumer, event_id) DO NOTHING""")) {
                insert.setString(1, consumer);
                insert.setObject(2, p.eventId());
                insert.setString(3, p.type());
                insert.setString(4, p.orderId());
                insert.setString(5, p.topic());
                insert.setInt(6, p.partition());
                insert.setLong(7, p.offset());
                insert.setString(8, toJson(p.headers()));
                insert.setBytes(9, p.payload());
                insert.setString(10, p.reason());
                insert.setObject(11, p.waitingBehind());
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** The next parked event of the order (or the event itself when it has no order), locked. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<ParkedEvent> lockHead(String consumer, ParkedEvent of) {
        return of.orderId() == null
                ? one("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND event_id = ? AND status = 'parked' FOR UPDATE",
                consumer, of.eventId())
                : one("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND order_id = ? AND status = 'parked' "
                + "ORDER BY id LIMIT 1 FOR UPDATE", consumer, of.orderId());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<ParkedEvent> lock(String consumer, UUID eventId) {
        return one("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND event_id = ? FOR UPDATE", consumer, eventId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void resolve(ParkedEvent parked, String status) {
        update("UPDATE parked_event SET status = ?, resolved_at = now() WHERE id = ?", status, parked.id());
    }

    /** A replay refused it again: it stays parked, both reasons kept, as the head its order's others wait behind. */
    @Transactional(Transactional.TxType.MANDATORY)
    void refusedAgain(ParkedEvent parked, String reason) {
        update("UPDATE parked_event SET reason = reason || '; refused again on replay: ' || ?, waiting_behind = NULL "
                + "WHERE id = ? AND status = 'parked'", reason, parked.id());
        if (parked.orderId() != null) {
            update("UPDATE parked_event SET waiting_behind = ? WHERE consumer = ? AND order_id = ? AND status = 'parked' AND id > ?",
                    parked.eventId(), parked.consumer(), parked.orderId(), parked.id());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void audit(String consumer, UUID eventId, String orderId, String action, String actor, String reason, String outcome) {
        update("INSERT INTO parked_action (consumer, event_id, order_id, action, actor, reason, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
                consumer, eventId, orderId, action, actor, reason, outcome);
    }

    /** Outside any transaction, as the reads below: what an operator looks at. */
    public Optional<ParkedEvent> find(String consumer, UUID eventId) {
        List<ParkedEvent> found = query("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND event_id = ?",
                consumer, eventId);
        return found.stream().findFirst();
    }

    /** The event ids still parked for the order (or just that event, when it has no order), in parking order. */
    public List<UUID> stillParked(String consumer, ParkedEvent of) {
        List<ParkedEvent> rows = of.orderId() == null
                ? query("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND event_id = ? AND status = 'parked'",
                consumer, of.eventId())
                : query("SELECT " + COLUMNS + " FROM parked_event WHERE consumer = ? AND order_id = ? AND status = 'parked' ORDER BY id",
                consumer, of.orderId());
        return rows.stream().map(ParkedEvent::eventId).toList();
    }

    /** Every consumer's parked events of the order, in parking order. */
    public List<ParkedEvent> ofOrder(String orderId) {
        return query("SELECT " + COLUMNS + " FROM parked_event WHERE order_id = ? ORDER BY id", orderId);
    }

    /** Every consumer's parkings of the event, in parking order. */
    public List<ParkedEvent> ofEvent(UUID eventId) {
        return query("SELECT " + COLUMNS + " FROM parked_event WHERE event_id = ? ORDER BY id", eventId);
    }

    /** The latest parkings with that status (null: any), newest first. */
    public List<ParkedEvent> latest(String status, int limit) {
        return status == null
                ? query("SELECT " + COLUMNS + " FROM parked_event ORDER BY id DESC LIMIT ?", limit)
                : query("SELECT " + COLUMNS + " FROM parked_event WHERE status = ? ORDER BY id DESC LIMIT ?", status, limit);
    }

    /** This service's consumers and how many events each has parked now (a fresh count, not the gauge's). */
    public Map<String, Long> parkedPerConsumer() {
        Map<String, Long> now = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT consumer, count(*) FROM parked_event WHERE status = 'parked' GROUP BY consumer");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                now.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count parked events: " + e.getMessage(), e);
        }
        return now;
    }

    private List<ParkedEvent> query(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read parked events: " + e.getMessage(), e);
        }
    }

    /** The gauge {@code inbox.parked}: this consumer's events parked now, read at most every 10 s. */
    void measure(String consumer) {
        metrics.gauge("inbox.parked", Tags.of("consumer", consumer), this, p -> p.parkedCount(consumer));
    }

    double parkedCount(String consumer) {
        if (Duration.between(countedAt, Instant.now()).compareTo(COUNT_CACHE) > 0) {
            try {
                counts = parkedPerConsumer();
            } catch (IllegalStateException e) {
                Log.warnf("inbox.parked: cannot count parked events (%s), reporting the last count", e.toString());
            }
            countedAt = Instant.now();
        }
        return counts.getOrDefault(consumer, 0L);
    }

    private Optional<ParkedEvent> one(String sql, Object... parameters) {
        return em.unwrap(Session.class).doReturningWork(c -> read(c, sql, parameters).stream().findFirst());
    }

    private void update(String sql, Object... parameters) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, parameters);
                s.executeUpdate();
            }
        });
    }

    private static List<ParkedEvent> read(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            List<ParkedEvent> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ParkedEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getLong(8), fromJson(rs.getString(9)),
                            rs.getBytes(10), rs.getString(11), rs.getObject(12, UUID.class), instant(rs.getTimestamp(13)),
                            rs.getString(14), instant(rs.getTimestamp(15))));
                }
            }
            return rows;
        }
    }

    static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String toJson(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not JSON: " + e.getMessage(), e);
        }
    }
}
