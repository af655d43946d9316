package dev.ordersaga.order.rest;

import dev.ordersaga.order.domain.Order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An order as clients see it; {@code total} and the lines' {@code unitPrice} are known once it is confirmed. */
public record OrderView(String id, String customerId, List<Item> items, String couponCode, String status, String reason,
                        BigDecimal total, Instant paidAt) {

    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }

    public static OrderView from(Order o) {
        return new OrderView(o.id().toString(), o.customerId(),
                o.lines().stream().map(l -> new Item(l.sku(), l.quantity(), l.unitPrice())).toList(),
                o.couponCode(), o.status().name(), o.reason() == null ? null : o.reason().name(), o.total(), o.paidAt());
    }
}
