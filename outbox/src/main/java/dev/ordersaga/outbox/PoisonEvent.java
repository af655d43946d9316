package dev.ordersaga.outbox;

/**
 * An event that can never be applied (no id, unknown type, unreadable payload, or a state it contradicts).
 * Retrying cannot help: the consumer parks it on its dead-letter topic, with the reason, for an operator.
 */
public class PoisonEvent extends RuntimeException {

    public PoisonEvent(String message, Throwable cause) {
        super(message, cause);
    }

    public PoisonEvent(String message) {
        super(message);
    }
}
