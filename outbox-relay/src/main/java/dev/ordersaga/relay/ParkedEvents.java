package dev.ordersaga.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.flywaydb.core.Flyway;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The relay's dead letters: outbox events Kafka refuses for good, kept in {@code relay_parked_event} of the
 * offsets database with the reason. Parking one and going on replaces a crash loop on the same row that stopped
 * the source for every later event. Anything else Kafka answers (a broker down, a timeout, missing rights) is
 * retried by restarting the engine, however long it lasts.
 */
final class ParkedEvents {

    private final Source source;
    private final String jdbcUrl;
    private final Counter parked;
    private volatile boolean migrated;

    ParkedEvents(Source source, String offsetsDatabase, MeterRegistry metrics) {
        this.source = source;
        this.jdbcUrl = source.jdbcUrl(offsetsDatabase);
        this.parked = Counter.builder("relay.events.parked")
                .description("Outbox events Kafka refused for good, parked in relay_parked_event instead of published")
                .tag("source", source.name()).register(metrics);
    }

    /**
     * Errors that sending the same record again can never fix. Kafka's {@code RetriableException}s are not among
     * them, nor are errors of the producer or of its rights: those stop the engine, which starts again later.
     */
    static boolean refusedForGood(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof InvalidRecordException;
    }

    /** Keeps the event and why Kafka refused it; a replayed batch parks the same event once. */
    void park(SourceRecord routed, Throwable why) throws SQLException {
        migrate();
        String eventId = header(routed, "id");
        try (Connection c = connect();
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO relay_parked_event (source, event_id, topic, aggregate_id, event_type, payload, reason)
                     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING""")) {
            insert.setString(1, source.name());
            insert.setString(2, eventId);
            insert.setString(3, routed.topic());
            insert.setString(4, text(routed.key()));
            insert.setString(5, header(routed, "eventType"));
            insert.setString(6, text(routed.value()));
            insert.setString(7, why.getClass().getSimpleName() + ": " + why.getMessage());
            if (insert.executeUpdate() == 1) {
                parked.increment();
            }
        }
        Log.errorf("relay parked event %s (aggregate %s, topic %s) of %s in relay_parked_event: Kafka refused it: %s",
                eventId, text(routed.key()), routed.topic(), source.describe(), why.toString());
    }

    /** The table lives beside the engines' offsets, made on first use so a relay that never parks needs nothing. */
    private void migrate() {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (!migrated) {
                Flyway.configure().dataSource(jdbcUrl, source.user(), source.password())
                        .locations("classpath:db/relay").table("relay_schema_history")
                        // the offsets database already holds Debezium's offset tables
                        .baselineOnMigrate(true).baselineVersion("0")
                        .load().migrate();
                migrated = true;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", source.user());
        p.setProperty("password", source.password());
        return new org.postgresql.Driver().connect(jdbcUrl, p);
    }

    private static String header(SourceRecord record, String key) {
        Header h = record.headers().lastWithName(key);
        return h == null ? null : text(h.value());
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
    }
}
