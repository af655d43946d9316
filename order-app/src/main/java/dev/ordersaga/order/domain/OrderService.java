package dev.ordersaga.order.domain;

import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.outbox.RuleViolation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Each method loads an order, calls one of its transitions, and adds the events it caused to the outbox. */
@ApplicationScoped
public class OrderService {

    /** The order a request placed, and whether this request created it or an earlier one with the same key did. */
    public record Placement(Order order, boolean created) {
    }

    private final OrderRepository orders;
    private final Outbox outbox;

    public OrderService(OrderRepository orders, Outbox outbox) {
        this.orders = orders;
        this.outbox = outbox;
    }

    /**
     * Places an order once per idempotency key: a request that repeats a key gets the order the first one placed.
     * Requests with the same key are serialized on the key, so two at once cannot both create an order.
     */
    @Transactional
    public Placement place(String customerId, List<OrderLine> lines, String couponCode, String idempotencyKey) {
        if (idempotencyKey != null) {
            orders.lockIdempotencyKey(idempotencyKey);
            Optional<Order> earlier = orders.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                Log.infof("order %s returned again for idempotency key %s", earlier.get().id(), idempotencyKey);
                return new Placement(earlier.get(), false);
            }
        }
        Order.Placed placed = Order.place(customerId, lines, couponCode, idempotencyKey, Instant.now());
        orders.persist(placed.order());
        List<UUID> eventIds = outbox.addAll(placed.events());
        Log.infof("order %s placed (events %s)", placed.order().id(), eventIds);
        return new Placement(placed.order(), true);
    }

    public Optional<Order> find(UUID id) {
        return orders.findByIdOptional(id);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void stockReserved(StockReserved e) {
        apply(e.orderId(), e.type(), Order::noteStockReserved);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void stockRejected(StockRejected e) {
        if (e.reason() == null) {
            throw new RuleViolation("StockRejected of order " + e.orderId() + " has no reason");
        }
        apply(e.orderId(), e.type(), o -> o.noteStockRejected(e.reason()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void couponLocked(CouponLocked e) {
        apply(e.orderId(), e.type(), Order::noteCouponLocked);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void couponRejected(CouponRejected e) {
        apply(e.orderId(), e.type(), Order::noteCouponRejected);
    }

    private void apply(String orderId, String what, Function<Order, List<OrderEvent>> transition) {
        Optional<Order> order = orders.lockById(UUID.fromString(orderId));
        if (order.isEmpty()) {
            // the order was never committed here: nothing can wait for this result
            Log.warnf("%s for unknown order %s ignored", what, orderId);
            return;
        }
        OrderStatus before = order.get().status();
        List<UUID> eventIds = outbox.addAll(transition.apply(order.get()));
        Log.infof("order %s %s -> %s after %s (events %s)", orderId, before, order.get().status(), what, eventIds);
    }
}
