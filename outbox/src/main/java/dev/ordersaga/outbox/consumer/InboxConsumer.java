package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Event;
import dev.ordersaga.events.Topics;
import dev.ordersaga.outbox.Inbox;
import dev.ordersaga.outbox.Tracing;
import dev.ordersaga.outbox.RuleViolation;
import dev.ordersaga.outbox.consumer.ConsumerJournal.Entry;
import dev.ordersaga.outbox.consumer.ParkedEvents.Parking;
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
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that applies events: for one poll's records, it parks what cannot be decoded, skips unknown types,
 * and applies the rest in one transaction that records their ids in the inbox, calls the service's handler, commits
 * the events the handler wrote to the outbox, and journals each delivery ({@link ConsumerJournal}). A redelivered
 * event finds its id and changes nothing.
 *
 * <p>Parking is per order: a refused event is kept in {@code parked_event} (and copied to the dead-letter topic by
 * {@link DeadLetters}), and every later event of its order (the record key) parks behind it until an operator replays
 * or skips it ({@link ParkedActions}); the other orders flow. Refused means undecodable, a {@link RuleViolation}, or a
 * database error the same event would hit again ({@link Refusal}).
 *
 * <p>Failures: if the batch fails, its events are applied again one transaction each, so that a refusal parks only
 * the event that caused it and those of its order behind it; any other failure (database down, stalled, a lock held)
 * is retried with backoff, for as long as it takes, and readiness is DOWN meanwhile. Lock waits and statements have
 * timeouts, so every attempt ends. Nothing is acknowledged before it is applied, parked or skipped: delivery is at
 * least once, and the records of one key are applied in their order.
 */
@ApplicationScoped
public class InboxConsumer {

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final ParkedEvents parked;
    private final ConsumerJournal journal;
    private final ConsumerHealth health;
    private final MeterRegistry metrics;
    private final Tracing tracing;
    private final long lockTimeoutMs;
    private final long statementTimeoutMs;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, Map<Class<? extends Event>, EventHandler<?>>> handlers = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public InboxConsumer(Inbox inbox, DeadLetters deadLetters, ParkedEvents parked, ConsumerJournal journal,
                         ConsumerHealth health, MeterRegistry metrics, Tracing tracing,
                         @ConfigProperty(name = "inbox.lock-timeout", defaultValue = "5s") Duration lockTimeout,
                         @ConfigProperty(name = "inbox.statement-timeout", defaultValue = "30s") Duration statementTimeout,
                         @ConfigProperty(name = "inbox.retry.first-delay", defaultValue = "100ms") Duration firstDelay,
                         @ConfigProperty(name = "inbox.retry.max-delay", defaultValue = "5s") Duration maxDelay) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.parked = parked;
        this.journal = journal;
        this.health = health;
        this.metrics = metrics;
        this.tracing = tracing;
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

    /**
     * Names the handler of {@code consumer} for the events of {@code family}, so that a replay of a parked event finds
     * it before the first poll after a restart. Each app's messaging class calls it at startup; {@link #consume} too.
     */
    public <E extends Event> void register(String consumer, Class<E> family, EventHandler<E> handler) {
        Map<Class<? extends Event>, EventHandler<?>> ofConsumer = handlers.computeIfAbsent(consumer, c -> {
            parked.measure(c);
            return new ConcurrentHashMap<>();
        });
        ofConsumer.put(family, handler);
    }

    /** The handler registered for this event's family, for a replay. */
    Optional<EventHandler<Event>> handlerOf(String consumer, Event event) {
        @SuppressWarnings("unchecked")
        Optional<EventHandler<Event>> found = handlers.getOrDefault(consumer, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().isInstance(event))
                .map(e -> (EventHandler<Event>) e.getValue())
                .findFirst();
        return found;
    }

    /** A record to apply, or with {@code refusal} one to park as it came (undecodable, or of another family). */
    private record Delivery<E>(ConsumerRecord<String, Inbound> record, UUID eventId, E event, byte[] payload, String refusal) {
        String describe() {
            return DeadLetters.describe(record);
        }

        Parking parking(String reason, UUID waitingBehind) {
            return InboxConsumer.parking(record, eventId, payload, reason, waitingBehind);
        }
    }

    /**
     * Applies one poll's records of a topic whose events are of {@code family} with {@code handler}. Returns when
     * every record is applied, found a duplicate, skipped or parked.
     */
    public <E extends Event> void consume(String consumer, ConsumerRecords<String, Inbound> records, Class<E> family,
                                          EventHandler<E> handler) {
        register(consumer, family, handler);
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
        // a refused record parks the later ones of its order, so a poll that has one goes one by one, in order
        boolean refusedAny = deliveries.stream().anyMatch(d -> d.refusal() != null);
        if (deliveries.size() > 1 && !refusedAny) {
            try {
                inTransaction(consumer, deliveries, handler);
                health.working(lane);
                return;
            } catch (RuntimeException e) {
                Log.warnf("%s could not apply a batch of %d events (%s); applying them one by one", consumer,
                        deliveries.size(), e.toString());
            }
        }
        // each in its own transaction: once one of an order parks, the next of that order finds it parked
        for (Delivery<E> delivery : deliveries) {
            if (delivery.refusal() != null) {
                park(consumer, delivery.parking(delivery.refusal(), null));
            } else {
                applyOne(consumer, lane, delivery, handler);
            }
        }
    }

    private <E extends Event> Optional<Delivery<E>> accept(String consumer, ConsumerRecord<String, Inbound> record,
                                                                     Class<E> family) {
        Inbound inbound = record.value();
        if (inbound == null) {
            String reason = InboundDeserializer.header(record.headers(), DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON);
            return Optional.of(new Delivery<>(record, idOf(record), null, raw(record), reason == null ? "no payload" : reason));
        }
        if (inbound instanceof Inbound.Known known && family.isInstance(known.event())) {
            return Optional.of(new Delivery<>(record, known.eventId(), family.cast(known.event()), bytes(known.json()), null));
        }
        if (inbound instanceof Inbound.Known known) {
            // the deserializer checked the topic, so this channel was bound to a topic of another family
            return Optional.of(new Delivery<>(record, known.eventId(), null, bytes(known.json()),
                    known.event().type() + " is not one of the " + family.getSimpleName() + "s this consumer reads"));
        }
        Inbound.UnknownType unknown = (Inbound.UnknownType) inbound;
        retrying(consumer + "/journal", () -> QuarkusTransaction.requiringNew().run(() ->
                journal.write(consumer, List.of(Entry.of(record, unknown.eventId(), ConsumerJournal.SKIPPED)))));
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "skipped").increment();
        Log.infof("%s skipped event %s of unknown type '%s' (order %s): a newer producer's, nothing to do here",
                consumer, unknown.eventId(), unknown.type(), record.key());
        return Optional.empty();
    }

    private <E extends Event> void applyOne(String consumer, String lane, Delivery<E> delivery, EventHandler<E> handler) {
        try {
            retrying(lane, () -> {
                try {
                    inTransaction(consumer, List.of(delivery), handler);
                } catch (RuntimeException e) {
                    throw Refusal.of(e).<RuntimeException>map(Refusal.Refused::new).orElse(e);
                }
            });
        } catch (Refusal.Refused refused) {
            health.working(lane);
            park(consumer, delivery.parking(refused.getMessage(), null));
        }
    }

    /**
     * In one transaction: parks the deliveries whose order has a parked event, applies the others, journals all.
     * The parked ones are copied to the dead-letter topic once it commits.
     */
    private <E extends Event> void inTransaction(String consumer, List<Delivery<E>> deliveries, EventHandler<E> handler) {
        int[] counts = new int[2];
        List<Parking> behind = new ArrayList<>();
        List<Parking> newlyParked = QuarkusTransaction.requiringNew().call(() -> {
            inbox.limitWaits(lockTimeoutMs, statementTimeoutMs);
            Map<String, UUID> heads = parked.headsOf(consumer,
                    deliveries.stream().map(d -> d.record().key()).filter(Objects::nonNull).distinct().toList());
            List<Delivery<E>> flowing = new ArrayList<>();
            List<Delivery<E>> waiting = new ArrayList<>();
            for (Delivery<E> d : deliveries) {
                (d.record().key() != null && heads.containsKey(d.record().key()) ? waiting : flowing).add(d);
            }
            List<Entry> entries = new ArrayList<>(deliveries.size());
            List<Parking> inserted = new ArrayList<>();
            // a redelivery of what was applied before its order parked is still only a duplicate
            Set<UUID> applied = waiting.isEmpty() ? Set.of() : inbox.seen(consumer, waiting.stream().map(Delivery::eventId).toList());
            for (Delivery<E> d : waiting) {
                if (applied.contains(d.eventId())) {
                    entries.add(Entry.of(d.record(), d.eventId(), ConsumerJournal.DUPLICATE));
                    counts[1]++;
                    continue;
                }
                UUID head = heads.get(d.record().key());
                Parking p = d.parking("waits behind parked event " + head, head);
                behind.add(p);
                if (parked.park(consumer, p)) {
                    inserted.add(p);
                }
                entries.add(Entry.of(d.record(), d.eventId(), ConsumerJournal.PARKED));
            }
            Set<UUID> fresh = flowing.isEmpty() ? Set.of() : inbox.record(consumer, flowing.stream().map(Delivery::eventId).toList());
            for (Delivery<E> d : flowing) {
                if (fresh.remove(d.eventId())) {
                    // an "apply <type>" span, child of the record's traceparent: the events it writes continue the trace
                    tracing.run(consumer, d.record(), d.eventId(), d.event().type(), () -> handler.handle(d.event()));
                    entries.add(Entry.of(d.record(), d.eventId(), ConsumerJournal.APPLIED));
                    counts[0]++;
                } else {
                    Log.infof("%s skipped duplicate %s", consumer, d.describe());
                    entries.add(Entry.of(d.record(), d.eventId(), ConsumerJournal.DUPLICATE));
                    counts[1]++;
                }
            }
            journal.write(consumer, entries);
            return inserted;
        });
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "applied").increment(counts[0]);
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "duplicate").increment(counts[1]);
        metrics.summary("inbox.batch.size", "consumer", consumer).record(deliveries.size());
        for (Parking p : behind) {
            if (newlyParked.contains(p)) {
                copyToDeadLetters(consumer, p);
            } else {
                Log.infof("%s keeps event %s (order %s) parked: %s", consumer, p.eventId(), p.orderId(), p.reason());
            }
        }
    }

    /** Parks one delivery on its own (its order's head or behind it), with its journal row, then the dead-letter copy. */
    private void park(String consumer, Parking p) {
        boolean inserted = retryingFor(consumer + "/parking", () -> QuarkusTransaction.requiringNew().call(() -> {
            inbox.limitWaits(lockTimeoutMs, statementTimeoutMs);
            UUID head = p.orderId() == null ? null : parked.headsOf(consumer, List.of(p.orderId())).get(p.orderId());
            Parking parking = head == null || head.equals(p.eventId()) ? p : p.behind(head);
            boolean fresh = parked.park(consumer, parking);
            journal.write(consumer, List.of(new Entry(p.eventId(), p.type(), p.orderId(), p.topic(), p.partition(),
                    p.offset(), p.publishedAt(), ConsumerJournal.PARKED, p.headers().get(ConsumerJournal.TRACEPARENT_HEADER))));
            return fresh;
        }));
        if (inserted) {
            copyToDeadLetters(consumer, p);
        } else {
            Log.infof("%s keeps event %s (order %s) parked: %s", consumer, p.eventId(), p.orderId(), p.reason());
        }
    }

    private void copyToDeadLetters(String consumer, Parking p) {
        retrying(consumer + "/parking", () -> deadLetters.park(consumer, p));
    }

    private static Parking parking(ConsumerRecord<String, Inbound> record, UUID eventId, byte[] payload, String reason,
                                   UUID waitingBehind) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("dead-letter-") && !h.key().startsWith("deserialization-failure-")) {
                // jsonb refuses a NUL character (SQLState 22P05), which would wedge the parking
                headers.put(withoutNul(h.key()), h.value() == null ? null : withoutNul(new String(h.value(), StandardCharsets.UTF_8)));
            }
        }
        return new Parking(eventId, InboundDeserializer.header(record.headers(), Topics.TYPE_HEADER), record.key(),
                record.topic(), record.partition(), record.offset(), record.timestamp() < 0 ? null : record.timestamp(),
                headers, payload, withoutNul(reason), waitingBehind);
    }

    /** The record's event id; one without a readable id is named by where it sits, the same on every redelivery. */
    private static UUID idOf(ConsumerRecord<String, Inbound> record) {
        String id = InboundDeserializer.header(record.headers(), Topics.ID_HEADER);
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            return UUID.nameUUIDFromBytes((record.topic() + "-" + record.partition() + "@" + record.offset())
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@link #retrying(String, Runnable)} for work with a result. */
    private <T> T retryingFor(String lane, java.util.function.Supplier<T> work) {
        Object[] result = new Object[1];
        retrying(lane, () -> {
            result[0] = work.get();
        });
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * Runs {@code work} until it succeeds: exponential backoff, no limit on attempts or time, except a refusal
     * (thrown at once) and a shutdown or an interrupt (the records stay unacknowledged and come again after the
     * restart).
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
        } catch (RuleViolation | Refusal.Refused | CancellationException e) {
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
                .abortOn(List.of(RuleViolation.class, Refusal.Refused.class, CancellationException.class))
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

    private static String withoutNul(String s) {
        return s.replace("\0", "");
    }

    private static byte[] bytes(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] raw(ConsumerRecord<String, Inbound> record) {
        var h = record.headers().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA);
        return h == null ? null : h.value();
    }
}
