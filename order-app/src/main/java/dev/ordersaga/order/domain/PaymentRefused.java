package dev.ordersaga.order.domain;

/** A payment the order's rules refuse: nothing changed. */
public class PaymentRefused extends RuntimeException {

    public enum Why { NOT_PAYABLE, WRONG_AMOUNT }

    private final Why why;

    public PaymentRefused(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
