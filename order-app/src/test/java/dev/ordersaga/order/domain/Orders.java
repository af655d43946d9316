package dev.ordersaga.order.domain;

import java.time.Instant;
import java.util.List;

/** Object mother for orders in tests. */
public final class Orders {

    private Orders() {
    }

    public static Order placed(String couponCode) {
        return Order.place("c-1", List.of(new OrderLine("SKU-1", 2)), couponCode, null, Instant.parse("2026-11-23T10:00:00Z")).order();
    }
}
