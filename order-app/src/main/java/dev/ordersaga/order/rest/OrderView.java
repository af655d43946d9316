package dev.ordersaga.order.rest;

import dev.ordersaga.order.domain.Order;

import java.util.List;

public record OrderView(String id, String customerId, List<Item> items, String couponCode, String status, String reason) {

    public record Item(String sku, int quantity) {
    }

    public static OrderView from(Order o) {
        return new OrderView(o.id().toString(), o.customerId(),
                o.lines().stream().map(l -> new Item(l.sku(), l.quantity())).toList(),
                o.couponCode(), o.status().name(), o.reason() == null ? null : o.reason().name());
    }
}
