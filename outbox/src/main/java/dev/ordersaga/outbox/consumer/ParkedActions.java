package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Event;
import dev.ordersaga.outbox.Inbox;
import dev.ordersaga.outbox.Tracing;
import dev.ordersaga.outbox.consumer.ConsumerJournal.Entry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What an operator does about a parked event, each recorded in {@code parked_action} with who and why. A replay
 * applies the order's parked events in parking order through the consumer's own path (decoded as
 * {@link InboundDeserializer} does, the inbox, the registered handler, one transaction each) and stops at the first
 * one refused again; a skip gives up one event, records it in the inbox so that a redelivery is a duplicate, and leaves
 * the ones behind it parked.
 */
@ApplicationScoped
public class ParkedActions {

    public static final String REPLAY = "replay";
    public static final String SKIP = "skip";

    private final InboxConsumer consumers;
    private final Inbox inbox;
    private final ParkedEvents parked;
    private final ConsumerJournal journal;
    private final Tracing tracing;
    private final long lockTimeoutMs;
    private final long statementTimeoutMs;

    public ParkedActions(InboxConsumer consumers, Inbox inbox, ParkedEvents parked, ConsumerJournal journal,
                         Tracing tracing,
                         @ConfigProperty(name = "inbox.lock-timeout", defaultValue = "5s") Duration lockTimeout,
                         @ConfigProperty(name = "inbox.statement-timeout", defaultValue = "30s") Duration statementTimeout) {
        this.consumers = consumers;
        this.inbox = inbox;
        this.parked = parked;
        this.journal = journal;
        this.tracing = tracing;
        this.lockTimeoutMs = lockTimeout.toMillis();
        this.statementTimeoutMs = statementTimeout.toMillis();
    }

    public record Result(String action, String consumer, UUID eventId, String orderId, String outcome, List<UUID> replayed,
                         List<UUID> stillParked) {
    }

    /** The event is not parked (any more): it was replayed or skipped. */
    public static class NotParked extends RuntimeException {

        public NotParked(ParkedEvent event) {
            super("event " + event.eventId() + " of " + event.consumer() + " is " + event.status() + ", not parked");
        }
    }

    /** No such parked event for that consumer. */
    public static class Unknown extends RuntimeException {

        public Unknown(String consumer, UUID eventId) {
            super(consumer + " never parked event " + eventId);
        }
    }

    /** A replay stopped by a failure that is not a refusal (a lock timeout, the database away): retry it later. */
    public static class Stopped extends RuntimeException {

        private final transient List<UUID> replayed;

        Stopped(String outcome, List<UUID> replayed, RuntimeException cause) {
            super(outcome, cause);
            this.replayed = List.copyOf(replayed);
        }

        public List<UUID> replayed() {
            return replayed;
        }
    }

    public Result replay(String consumer, UUID eventId, String actor, String reason) {
        ParkedEvent target = parked.find(consumer, eventId).orElseThrow(() -> new Unknown(consumer, eventId));
        List<UUID> replayed = new ArrayList<>();
        String refusal = null;
        while (true) {
            AtomicReference<ParkedEvent> head = new AtomicReference<>();
            boolean first = replayed.isEmpty();
            try {
                boolean more = QuarkusTransaction.requiringNew().call(() -> {
                    inbox.limitWaits(lockTimeoutMs, statementTimeoutMs);
                    // the head first, then the target: row locks in id order, as the consumer takes them
                    Optional<ParkedEvent> next = parked.lockHead(consumer, target);
                    if (first) {
                        ParkedEvent row = parked.lock(consumer, eventId).orElseThrow(() -> new Unknown(consumer, eventId));
                        if (!row.isParked()) {
                            throw new NotParked(row);
                        }
                    }
                    if (next.isEmpty()) {
                        return false;
                    }
                    head.set(next.get());
                    apply(consumer, next.get());
                    return true;
                });
                if (!more) {
                    break;
                }
                replayed.add(head.get().eventId());
                Log.infof("%s replayed event %s (order %s) for %s", consumer, head.get().eventId(), head.get().orderId(), actor);
            } catch (NotParked | Unknown e) {
                throw e;
            } catch (RuntimeException e) {
                Optional<String> why = head.get() == null ? Optional.empty() : Refusal.of(e);
                if (why.isEmpty()) {
                    throw stopped(consumer, target, actor, reason, replayed, e);
                }
                ParkedEvent refused = head.get();
                refusal = "; event " + refused.eventId() + " refused again on replay: " + why.get();
                QuarkusTransaction.requiringNew().run(() -> parked.refusedAgain(refused, why.get()));
                Log.warnf("%s replay of event %s (order %s) for %s: %s", consumer, refused.eventId(), refused.orderId(),
                        actor, why.get());
                break;
            }
        }
        List<UUID> still = parked.stillParked(consumer, target);
        String outcome = "replayed " + replayed.size() + (refusal == null ? "" : refusal)
                + (still.isEmpty() ? "; none still parked" : "; " + still.size() + " still parked");
        QuarkusTransaction.requiringNew().run(() ->
                parked.audit(consumer, eventId, target.orderId(), REPLAY, actor, reason, outcome));
        return new Result(REPLAY, consumer, eventId, target.orderId(), outcome, replayed, still);
    }

    public Result skip(String consumer, UUID eventId, String actor, String reason) {
        ParkedEvent target = QuarkusTransaction.requiringNew().call(() -> {
            inbox.limitWaits(lockTimeoutMs, statementTimeoutMs);
            ParkedEvent row = parked.lock(consumer, eventId).orElseThrow(() -> new Unknown(consumer, eventId));
            if (!row.isParked()) {
                throw new NotParked(row);
            }
            parked.resolve(row, ParkedEvent.SKIPPED);
            inbox.record(consumer, List.of(eventId));
            journal.write(consumer, List.of(Entry.of(row, ConsumerJournal.SKIPPED_BY_OPERATOR)));
            return row;
        });
        List<UUID> still = parked.stillParked(consumer, target);
        String outcome = "skipped" + (still.isEmpty() ? "; none still parked" : "; " + still.size() + " still parked, replay them");
        QuarkusTransaction.requiringNew().run(() ->
                parked.audit(consumer, eventId, target.orderId(), SKIP, actor, reason, outcome));
        Log.infof("%s skipped parked event %s (order %s) for %s: %s", consumer, eventId, target.orderId(), actor, reason);
        return new Result(SKIP, consumer, eventId, target.orderId(), outcome, List.of(), still);
    }

    /** Audits a replay that a failure stopped; what it replayed before is committed and stays replayed. */
    private Stopped stopped(String consumer, ParkedEvent target, String actor, String reason, List<UUID> replayed,
                            RuntimeException e) {
        String outcome = "stopped after " + replayed.size() + " replayed: " + e;
        Log.warnf("%s replay of event %s (order %s) for %s %s", consumer, target.eventId(), target.orderId(), actor, outcome);
        QuarkusTransaction.requiringNew().run(() ->
                parked.audit(consumer, target.eventId(), target.orderId(), REPLAY, actor, reason, outcome));
        return new Stopped(outcome, replayed, e);
    }

    /** The consumer's path for one stored delivery, in the caller's transaction; throws {@link Refusal.Refused}. */
    private void apply(String consumer, ParkedEvent p) {
        RecordHeaders headers = new RecordHeaders();
        p.headers().forEach((k, v) -> headers.add(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
        Inbound inbound;
        try {
            inbound = new InboundDeserializer().deserialize(p.topic(), headers,
                    p.payload());
        } catch (SerializationException e) {
            throw new Refusal.Refused(e.getMessage());
        }
        if (!(inbound instanceof Inbound.Known known)) {
            throw new Refusal.Refused("type " + p.type() + " is unknown to this build");
        }
        if (!known.eventId().equals(p.eventId())) {
            throw new Refusal.Refused("its id header names event " + known.eventId());
        }
        Event event = known.event();
        EventHandler<Event> handler = consumers.handlerOf(consumer, event)
                .orElseThrow(() -> new Refusal.Refused("no handler of " + consumer + " reads " + event.type()));
        if (inbox.record(consumer, List.of(p.eventId())).contains(p.eventId())) {
            // the replay continues the trace the event was written in
            tracing.run(consumer, p.headers().get(Tracing.HEADER), p.eventId(), event.type(), p.orderId(),
                    () -> handler.handle(event));
        }
        parked.resolve(p, ParkedEvent.REPLAYED);
        journal.write(consumer, List.of(Entry.of(p, ConsumerJournal.REPLAYED)));
    }
}
