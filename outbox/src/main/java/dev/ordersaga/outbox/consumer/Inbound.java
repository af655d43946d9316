package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Event;

import java.util.UUID;

/**
 * A record of the topic contract as {@link InboundDeserializer} decoded it, before any service sees it. A record
 * that cannot be decoded has no {@code Inbound} at all: the connector hands it over with a {@code null} value and
 * the failure in its headers, and the consumer parks it.
 */
public sealed interface Inbound {

    UUID eventId();

    /** An event this build knows, with the JSON it came as (parked as it came if the domain refuses it). */
    record Known(UUID eventId, Event event, String json) implements Inbound {
    }

    /** A type this build does not know: a newer producer during a rolling deploy. Counted and skipped. */
    record UnknownType(UUID eventId, String type) implements Inbound {
    }
}
