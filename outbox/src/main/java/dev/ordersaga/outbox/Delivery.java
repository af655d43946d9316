package dev.ordersaga.outbox;

import dev.ordersaga.events.Event;

import java.util.UUID;

/** One decoded Kafka record of the contract: its event id (the inbox key), the event, and where it came from. */
public record Delivery(UUID eventId, Event event, String topic, int partition, long offset) {

    public String describe() {
        return event.type() + " " + eventId + " of order " + event.orderId() + " (" + topic + "-" + partition + "@" + offset + ")";
    }
}
