package dev.ordersaga.order.domain;

import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.outbox.Outbox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Each method changes an order and writes its event in one transaction. */
@ApplicationScoped
public class OrderService {

    private final OrderRepository orders;
    private final Outbox outbox;

    public OrderService(OrderRepository orders, Outbox outbox) {
        this.orders = orders;
        this.outbox = outbox;
    }

    @Transactional
    public Order place(String customerId, List<OrderLine> lines, String couponCode, String idempotencyKey) {
        Order order = Order.place(customerId, lines, couponCode, idempotencyKey, Instant.now());
        orders.persist(order);
        orders.flush();
        UUID eventId = outbox.add(order.placed());
        Log.infof("order %s placed (event %s)", order.id(), eventId);
        return order;
    }

    public Optional<Order> find(UUID id) {
        return orders.findByIdOptional(id);
    }

    public Optional<Order> findByIdempotencyKey(String key) {
        return orders.findByIdempotencyKey(key);
    }

    /** Applies a saga result in the caller's (the consumer's) transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String orderId, String what, Function<Order, Optional<OrderEvent>> step) {
        Optional<Order> order = parse(orderId).flatMap(orders::lockById);
        if (order.isEmpty()) {
            // the order was never committed here: nothing can wait for this result
            Log.warnf("%s for unknown order %s ignored", what, orderId);
            return;
        }
        OrderStatus before = order.get().status();
        step.apply(order.get()).ifPresentOrElse(
                event -> Log.infof("order %s %s -> %s after %s (event %s)", orderId, before, order.get().status(), what,
                        outbox.add(event)),
                () -> Log.infof("order %s stays %s after %s", orderId, order.get().status(), what));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
