package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Event;

/**
 * A service's reaction to the events of one topic: an exhaustive {@code switch} over the topic's sealed event
 * interface, one intent-named method per event, each calling one domain method. {@link InboxConsumer} calls it
 * inside the transaction that records the event in the inbox; it throws {@link dev.ordersaga.outbox.RuleViolation}
 * (from the domain) when the event contradicts the rules.
 */
@FunctionalInterface
public interface EventHandler<E extends Event> {

    void handle(E event);
}
