package dev.ordersaga.outbox.ops;

import dev.ordersaga.outbox.consumer.ParkedActions;
import dev.ordersaga.outbox.consumer.ParkedEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON of the ops API. Timestamps are ISO-8601 strings, lists in time order unless named otherwise. */
public final class OpsViews {

    private OpsViews() {
    }

    /** An order's (or one event's) trail in this service. */
    public record Trail(String service, Map<String, Object> state, List<Written> written, List<Consumed> consumed,
                        List<Parked> parked) {
    }

    /** What this service wrote to its outbox; {@code published} once the relay's slot confirmed past it. */
    public record Written(UUID eventId, String type, String aggregateType, String orderId, String writtenAt,
                          String traceparent, boolean published) {
    }

    /** What a consumer did with a delivery; {@code caused}: the events its transaction wrote for that order. */
    public record Consumed(String consumer, UUID eventId, String type, String orderId, String topic, int partition,
                           long offset, String publishedAt, String outcome, String at, String traceparent,
                           List<UUID> caused) {
    }

    public record Parked(long id, String consumer, UUID eventId, String type, String orderId, String topic, int partition,
                         long offset, String payload, String reason, UUID waitingBehind, String parkedAt, String status,
                         String resolvedAt) {

        static Parked of(ParkedEvent p) {
            return new Parked(p.id(), p.consumer(), p.eventId(), p.type(), p.orderId(), p.topic(), p.partition(), p.offset(),
                    p.payloadText(), p.reason(), p.waitingBehind(), iso(p.parkedAt()), p.status(), iso(p.resolvedAt()));
        }
    }

    public record Action(String action, String consumer, UUID eventId, String orderId, String outcome,
                         List<UUID> replayed, List<UUID> stillParked) {

        static Action of(ParkedActions.Result r) {
            return new Action(r.action(), r.consumer(), r.eventId(), r.orderId(), r.outcome(), r.replayed(), r.stillParked());
        }
    }

    public record Audit(String at, String actor, String action, String consumer, UUID eventId, String orderId,
                        String reason, String outcome) {
    }

    public record Backlog(String service, Relay relay, Map<String, Long> parked, Map<String, Long> duplicates24h) {
    }

    /** The relay's slot: {@code lagBytes} not yet confirmed, {@code retainedBytes} the WAL it pins. */
    public record Relay(String slot, Long lagBytes, Long retainedBytes, Boolean active, Double oldestUnpublishedAgeSeconds) {
    }

    /** The body of a replay or a skip. */
    public record OperatorRequest(String reason) {
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
