package dev.ordersaga.order.ops;

import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderRepository;
import dev.ordersaga.outbox.ops.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** For the ops API: the order's saga state as order-app holds it. */
@ApplicationScoped
public class SagaState implements OrderState {

    private final OrderRepository orders;

    public SagaState(OrderRepository orders) {
        this.orders = orders;
    }

    @Override
    @Transactional
    public Map<String, Object> describe(String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
        return orders.findByIdOptional(id).map(SagaState::describe).orElse(Map.of());
    }

    private static Map<String, Object> describe(Order o) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", o.status().name());
        state.put("reason", o.reason() == null ? null : o.reason().name());
        state.put("customerId", o.customerId());
        state.put("couponCode", o.couponCode());
        state.put("placedAt", o.placedAt().toString());
        state.put("paidAt", o.paidAt() == null ? null : o.paidAt().toString());
        state.put("deadline", o.deadline() == null ? null : o.deadline().name());
        state.put("total", o.total() == null ? null : o.total().toPlainString());
        List<Map<String, Object>> lines = o.lines().stream().map(l -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", l.sku());
            line.put("quantity", l.quantity());
            line.put("unitPrice", l.unitPrice() == null ? null : l.unitPrice().toPlainString());
            return line;
        }).toList();
        state.put("lines", lines);
        return state;
    }
}
