package dev.ordersaga.order.domain;

/** PENDING until stock and coupon answer; CONFIRMED waits for its payment; PAID and CANCELLED are final. */
public enum OrderStatus { PENDING, CONFIRMED, PAID, CANCELLED;

    public boolean isFinal() {
        return this == PAID || this == CANCELLED;
    }
}
