package dev.ordersaga.outbox.consumer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A row of {@code parked_event}: a delivery a consumer did not apply, as it came, and what became of it. */
public record ParkedEvent(long id, String consumer, UUID eventId, String type, String orderId, String topic, int partition,
                          long offset, Map<String, String> headers, byte[] payload, String reason, UUID waitingBehind,
                          Instant parkedAt, String status, Instant resolvedAt) {

    public static final String PARKED = "parked";
    public static final String REPLAYED = "replayed";
    public static final String SKIPPED = "skipped";

    /** The payload as text for a reader: UTF-8, invalid bytes replaced. */
    public String payloadText() {
        return payload == null ? null : new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean isParked() {
        return PARKED.equals(status);
    }
}
