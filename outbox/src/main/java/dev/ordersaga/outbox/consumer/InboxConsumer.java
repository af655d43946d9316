package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Event;
import dev.ordersaga.outbox.Inbox;
import dev.ordersaga.outbox.RuleViolation;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that applies events: for one poll's records, it parks what cannot be decoded, skips unknown types,
 * and applies the rest in one transaction that records their ids in the inbox, calls the service's handler, and
 * commits the events the handler wrote to the outbox. A redelivered event finds its id and changes nothing.
 *
 * <p>Failures: if the batch fails, its events are applied again one transaction each, so that a
 * {@link RuleViolation} parks only the event that caused it; any other failure (database down, stalled, a lock
 * held) is retried with backoff, for as long as it takes, and readiness is DOWN meanwhile. Lock waits and
 * statements have timeouts, so every attempt ends. Nothing is acknowledged before it is applied, parked or
 * skipped: delivery is at least once, and the records of one key are applied in their order.
 */
@ApplicationScoped
public class InboxConsumer {

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final ConsumerHealth health;
    private final MeterRegistry metrics;
    private final long lockTimeoutMs;
    private final long statementTimeoutMs;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public InboxConsumer(Inbox inbox, DeadLetters deadLetters, ConsumerHealth health, MeterRegistry metrics,
                         @ConfigProperty(name = "inbox.lock-timeout", defaultValue = "5s") Duration lockTimeout,
                         @ConfigProperty(name = "inbox.statement-timeout", defaultValue = "30s") Duration statementTimeout,
                         @ConfigProperty(name = "inbox.retry.first-delay", defaultValue = "100ms") Duration firstDelay,
                         @ConfigProperty(name = "inbox.retry.max-delay", defaultValue = "5s") Duration maxDelay) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.health = health;
        this.metrics = metrics;
        this.lockTimeoutMs = lockTimeout.toMillis();
        this.statementTimeoutMs = statementTimeout.toMillis();
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** A shutdown ends every retry at its next attempt: the records stay unacknowledged and come again later. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** For tests: as if the application had started again. */
    void resume() {
        stopping = false;
    }

    private record Delivery<E>(ConsumerRecord<String, Inbound> record, UUID eventId, E event, String json) {
        String describe() {
            return DeadLetters.describe(record);
        }
    }

    /**
     * Applies one poll's records of a topic whose events are of {@code family} with {@code handler}. Returns when
     * every record is applied, found a duplicate, skipped or parked.
     */
    public <E extends Event> void consume(String consumer, ConsumerRecords<String, Inbound> records, Class<E> family,
                                          EventHandler<E> handler) {
        List<Delivery<E>> deliveries = new ArrayList<>();
        for (ConsumerRecord<String, Inbound> record : records) {
            accept(consumer, record, family).ifPresent(deliveries::add);
        }
        if (deliveries.isEmpty()) {
            return;
        }
        // Same order of row locks in every batch of every channel (two channels of order-app lock the same orders):
        // sorted by key, stable, so the events of one key keep their order.
        deliveries.sort(Comparator.comparing(d -> d.record().key() == null ? "" : d.record().key()));
        String lane = consumer + "/" + family.getSimpleName();
        if (deliveries.size() > 1) {
            try {
                inTransaction(consumer, deliveries, handler);
                health.working(lane);
                return;
            } catch (RuntimeException e) {
                Log.warnf("%s could not apply a batch of %d events (%s); applying them one by one", consumer,
                        deliveries.size(), e.toString());
            }
        }
        for (Delivery<E> delivery : deliveries) {
            applyOne(consumer, lane, delivery, handler);
        }
    }

    private <E extends Event> Optional<Delivery<E>> accept(String consumer, ConsumerRecord<String, Inbound> record,
                                                                     Class<E> family) {
        Inbound inbound = record.value();
        if (inbound == null) {
            String reason = InboundDeserializer.header(record.headers(), DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON);
            byte[] raw = raw(record);
            retrying(consumer + "/parking", () -> deadLetters.park(consumer, record, raw,
                    reason == null ? "no payload" : reason));
            return Optional.empty();
        }
        if (inbound instanceof Inbound.Known known && family.isInstance(known.event())) {
            return Optional.of(new Delivery<>(record, known.eventId(), family.cast(known.event()), known.json()));
        }
        if (inbound instanceof Inbound.Known known) {
            // the deserializer checked the topic, so this channel was bound to a topic of another family
            retrying(consumer + "/parking", () -> deadLetters.park(consumer, record, bytes(known.json()),
                    known.event().type() + " is not one of the " + family.getSimpleName() + "s this consumer reads"));
            return Optional.empty();
        }
        Inbound.UnknownType unknown = (Inbound.UnknownType) inbound;
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "skipped").increment();
        Log.infof("%s skipped event %s of unknown type '%s' (order %s): a newer producer's, nothing to do here",
                consumer, unknown.eventId(), unknown.type(), record.key());
        return Optional.empty();
    }

    private <E extends Event> void applyOne(String consumer, String lane, Delivery<E> delivery, EventHandler<E> handler) {
        try {
            retrying(lane, () -> {
                inTransaction(consumer, List.of(delivery), handler);
            });
        } catch (RuleViolation refused) {
            health.working(lane);
            retrying(consumer + "/parking", () -> deadLetters.park(consumer, delivery.record(), bytes(delivery.json()),
                    "refused by the domain: " + refused.getMessage()));
        }
    }

    private <E extends Event> void inTransaction(String consumer, List<Delivery<E>> deliveries, EventHandler<E> handler) {
        int[] counts = new int[2];
        QuarkusTransaction.requiringNew().run(() -> {
            inbox.limitWaits(lockTimeoutMs, statementTimeoutMs);
            Set<UUID> fresh = inbox.record(consumer, deliveries.stream().map(Delivery::eventId).toList());
            for (Delivery<E> d : deliveries) {
                if (fresh.remove(d.eventId())) {
                    handler.handle(d.event());
                    counts[0]++;
                } else {
                    Log.infof("%s skipped duplicate %s", consumer, d.describe());
                    counts[1]++;
                }
            }
        });
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "applied").increment(counts[0]);
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "duplicate").increment(counts[1]);
        metrics.summary("inbox.batch.size", "consumer", consumer).record(deliveries.size());
    }

    /**
     * Runs {@code work} until it succeeds: exponential backoff, no limit on attempts or time, except a
     * {@link RuleViolation} (thrown at once) and a shutdown or an interrupt (the records stay unacknowledged and
     * come again after the restart).
     */
    private void retrying(String lane, Runnable work) {
        try {
            guards.computeIfAbsent(lane, this::retryPolicy).call(() -> {
                if (stopping) {
                    throw new CancellationException(lane + " stopped while retrying (shutting down)");
                }
                work.run();
                return null;
            }, Void.class);
            health.working(lane);
        } catch (RuleViolation | CancellationException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(lane + " stopped while retrying (shutting down)");
        } catch (Exception e) {
            throw new IllegalStateException(lane + " gave up, which an unlimited retry never does", e);
        }
    }

    /** One policy per lane, built once: its hook reports that lane's waits. */
    private Guard retryPolicy(String lane) {
        return Guard.create()
                .withRetry()
                .maxRetries(-1)
                .maxDuration(0, ChronoUnit.MILLIS)
                .delay(firstDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(firstDelay.toMillis() / 2, ChronoUnit.MILLIS)
                .abortOn(List.of(RuleViolation.class, CancellationException.class))
                .beforeRetry((Throwable cause) -> {
                    if (!health.isWaiting(lane)) {
                        Log.warnf(cause, "%s waits: retrying until it lands", lane);
                    } else {
                        Log.warnf("%s retries after: %s", lane, cause.toString());
                    }
                    health.waiting(lane, cause);
                    metrics.counter("inbox.retries", "lane", lane).increment();
                })
                .withExponentialBackoff().factor(2).maxDelay(maxDelay.toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }

    private static byte[] raw(ConsumerRecord<String, Inbound> record) {
        var h = record.headers().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA);
        return h == null ? null : h.value();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
