package dev.ordersaga.outbox;

/**
 * Thrown by a domain when an event contradicts its rules (an order line without units, a transition the
 * aggregate refuses): the same event would fail the same way every time, so the consumer parks it for an
 * operator instead of retrying. Every other failure is taken as transient and retried.
 */
public class RuleViolation extends RuntimeException {

    public RuleViolation(String message) {
        super(message);
    }
}
