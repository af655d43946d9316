package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a consumer did with each delivery ({@code consumer_journal}), written in the transaction that did it, so that
 * the row's txid names the outbox rows the delivery caused. One statement for a whole batch.
 */
@ApplicationScoped
public class ConsumerJournal {

    public static final String APPLIED = "applied";
    public static final String DUPLICATE = "duplicate";
    public static final String SKIPPED = "skipped";
    public static final String PARKED = "parked";
    public static final String REPLAYED = "replayed";
    public static final String SKIPPED_BY_OPERATOR = "skipped-by-operator";

    static final String TRACEPARENT_HEADER = "traceparent";
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    /** One delivery; {@code publishedAt} is the record's timestamp in epoch millis, or null. */
    record Entry(UUID eventId, String type, String orderId, String topic, int partition, long offset, Long publishedAt,
                 String outcome, String traceparent) {

        /** A header that is not a W3C traceparent is dropped: it is the producer's, and must not refuse the row. */
        Entry {
            traceparent = traceparent == null || !TRACEPARENT.matcher(traceparent).matches() ? null : traceparent;
        }

        static Entry of(ConsumerRecord<String, ?> record, UUID eventId, String outcome) {
            return new Entry(eventId, InboundDeserializer.header(record.headers(), Topics.TYPE_HEADER), record.key(),
                    record.topic(), record.partition(), record.offset(), record.timestamp() < 0 ? null : record.timestamp(),
                    outcome, InboundDeserializer.header(record.headers(), TRACEPARENT_HEADER));
        }

        static Entry of(ParkedEvent parked, String outcome) {
            return new Entry(parked.eventId(), parked.type(), parked.orderId(), parked.topic(), parked.partition(),
                    parked.offset(), null, outcome, parked.headers().get(TRACEPARENT_HEADER));
        }
    }

    private final EntityManager em;

    public ConsumerJournal(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void write(String consumer, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO consumer_journal (consumer, event_id, event_type, order_id, topic, kafka_partition,
                                                  kafka_offset, published_at, outcome, traceparent)
                    SELECT ?, e, t, o, tp, p, off, to_timestamp(pub / 1000.0), oc, tr
                    FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?) AS j(e, t, o, tp, p, off, pub, oc, tr)""")) {
                insert.setString(1, consumer);
                insert.setArray(2, array(c, "uuid", entries, Entry::eventId));
                insert.setArray(3, array(c, "text", entries, Entry::type));
                insert.setArray(4, array(c, "text", entries, Entry::orderId));
                insert.setArray(5, array(c, "varchar", entries, Entry::topic));
                insert.setArray(6, array(c, "int4", entries, Entry::partition));
                insert.setArray(7, array(c, "int8", entries, Entry::offset));
                insert.setArray(8, array(c, "int8", entries, Entry::publishedAt));
                insert.setArray(9, array(c, "varchar", entries, Entry::outcome));
                insert.setArray(10, array(c, "varchar", entries, Entry::traceparent));
                insert.executeUpdate();
            }
        });
    }

    private static java.sql.Array array(Connection c, String type, List<Entry> entries, Function<Entry, Object> column)
            throws SQLException {
        return c.createArrayOf(type, entries.stream().map(column).toArray());
    }
}
