package dev.ordersaga.order.domain;

/** An idempotency key sent again, within its window, with a request other than the one that placed its order. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("idempotency key " + key + " was used for another request (other lines or coupon)");
    }
}
