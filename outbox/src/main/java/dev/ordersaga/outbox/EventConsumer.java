package dev.ordersaga.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Applies one Kafka record exactly once in effect: decode it, and in one transaction record its id in the
 * inbox and apply it. A redelivery finds the id and changes nothing. Poison records are thrown as
 * {@link PoisonEvent} so the channel's dead-letter strategy parks them; anything else (database down, lock
 * conflict) is retried, with backoff, until it lands: the partition waits rather than skipping an event.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Inbox inbox;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    public EventConsumer(Inbox inbox, ObjectMapper json, MeterRegistry metrics) {
        this.inbox = inbox;
        this.json = json;
        this.metrics = metrics;
    }

    public void consume(String consumer, ConsumerRecord<String, String> record, Consumer<Delivery> apply) {
        consume(consumer, record, d -> true, apply);
    }

    /**
     * As above, but events for which {@code relevant} is false (types this consumer does not act on) are only
     * counted, with no transaction: there is nothing to deduplicate when nothing changes.
     */
    public void consume(String consumer, ConsumerRecord<String, String> record, Predicate<Delivery> relevant,
                        Consumer<Delivery> apply) {
        Delivery delivery = decode(consumer, record);
        if (!relevant.test(delivery)) {
            metrics.counter("inbox.events", "consumer", consumer, "outcome", "ignored").increment();
            return;
        }
        Duration backoff = Duration.ofMillis(50);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> {
                    if (!inbox.firstDelivery(consumer, delivery.eventId())) {
                        return false;
                    }
                    apply.accept(delivery);
                    return true;
                });
                if (applied) {
                    metrics.counter("inbox.events", "consumer", consumer, "outcome", "applied").increment();
                } else {
                    metrics.counter("inbox.events", "consumer", consumer, "outcome", "duplicate").increment();
                    Log.infof("%s skipped duplicate %s", consumer, delivery.describe());
                }
                return;
            } catch (RuntimeException e) {
                PoisonEvent poison = poison(e);
                if (poison != null) {
                    park(consumer, record, poison.getMessage());
                    throw poison;
                }
                Log.warnf("%s could not apply %s (attempt %d, retrying in %d ms): %s",
                        consumer, delivery.describe(), attempt, backoff.toMillis(), e.toString());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    Delivery decode(String consumer, ConsumerRecord<String, String> record) {
        String id = header(record, Topics.ID_HEADER);
        String type = header(record, Topics.TYPE_HEADER);
        try {
            if (id == null) {
                throw new PoisonEvent("no '" + Topics.ID_HEADER + "' header");
            }
            UUID eventId = UUID.fromString(id);
            Class<? extends Event> eventClass = EventTypes.byName(type)
                    .orElseThrow(() -> new PoisonEvent("unknown event type '" + type + "'"));
            if (record.value() == null) {
                throw new PoisonEvent("no payload");
            }
            Event event = json.readValue(record.value(), eventClass);
            if (event.orderId() == null) {
                throw new PoisonEvent("payload has no orderId");
            }
            return new Delivery(eventId, event, record.topic(), record.partition(), record.offset());
        } catch (PoisonEvent e) {
            park(consumer, record, e.getMessage());
            throw e;
        } catch (Exception e) {
            String reason = "unreadable: " + e.getMessage();
            park(consumer, record, reason);
            throw new PoisonEvent(reason, e);
        }
    }

    private void park(String consumer, ConsumerRecord<String, String> record, String reason) {
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "parked").increment();
        Log.errorf("%s parks event %s (type %s, key %s, %s-%d@%d) on its dead-letter topic: %s", consumer,
                header(record, Topics.ID_HEADER), header(record, Topics.TYPE_HEADER), record.key(),
                record.topic(), record.partition(), record.offset(), reason);
    }

    /** Poison, or a domain rule the event contradicts (an entity refused the transition): retrying cannot help. */
    private static PoisonEvent poison(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEvent p) {
                return p;
            }
            if ((t instanceof IllegalStateException || t instanceof IllegalArgumentException) && fromDomain(t)) {
                return new PoisonEvent("refused by the domain: " + t.getMessage(), t);
            }
            // SQLState class 22 (data exception) and 23 (integrity constraint): the same event fails the same way
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return new PoisonEvent("refused by the database (" + sql.getSQLState() + "): " + sql.getMessage(), t);
            }
        }
        return null;
    }

    private static boolean fromDomain(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("dev.ordersaga.");
    }

    private static String header(ConsumerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while retrying (shutting down)");
        }
    }
}
