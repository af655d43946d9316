package dev.ordersaga.order.domain;

import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed.Deadline;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.outbox.RuleViolation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Each method loads an order, calls one of its transitions, and adds the events it caused to the outbox; then it
 * keeps the order's deadline in step with its status (a delayed event, withdrawn when the order moves on).
 */
@ApplicationScoped
public class OrderService {

    /** The order a request placed, and whether this request created it or an earlier one with the same key did. */
    public record Placement(Order order, boolean created) {
    }

    private final OrderRepository orders;
    private final Outbox outbox;
    private final Duration sagaDeadline;
    private final Duration paymentTimeout;
    private final Duration idempotencyWindow;

    public OrderService(OrderRepository orders, Outbox outbox,
                        @ConfigProperty(name = "order.saga-deadline", defaultValue = "30s") Duration sagaDeadline,
                        @ConfigProperty(name = "order.payment-timeout", defaultValue = "15m") Duration paymentTimeout,
                        @ConfigProperty(name = "order.idempotency-window", defaultValue = "24h") Duration idempotencyWindow) {
        this.orders = orders;
        this.outbox = outbox;
        this.sagaDeadline = sagaDeadline;
        this.paymentTimeout = paymentTimeout;
        this.idempotencyWindow = idempotencyWindow;
    }

    /**
     * Places an order once per customer and idempotency key within the idempotency window: a request that repeats
     * a key with the same lines and coupon gets the order the first one placed; with anything else it is refused
     * ({@link IdempotencyKeyReused}). Requests with the same key are serialized on it, so two at once cannot both
     * create an order.
     */
    @Transactional
    public Placement place(String customerId, List<OrderLine> lines, String couponCode, String idempotencyKey) {
        if (idempotencyKey != null) {
            orders.lockIdempotencyKey(customerId, idempotencyKey);
            Optional<Order> earlier = orders.findByIdempotencyKey(customerId, idempotencyKey, Instant.now().minus(idempotencyWindow));
            if (earlier.isPresent()) {
                if (!earlier.get().sameRequest(customerId, lines, couponCode)) {
                    Log.infof("idempotency key %s of customer %s refused: order %s was placed with it for another request",
                            idempotencyKey, customerId, earlier.get().id());
                    throw new IdempotencyKeyReused(idempotencyKey);
                }
                Log.infof("order %s returned again for idempotency key %s", earlier.get().id(), idempotencyKey);
                return new Placement(earlier.get(), false);
            }
        }
        Order.Placed placed = Order.place(customerId, lines, couponCode, idempotencyKey, Instant.now());
        orders.persist(placed.order());
        List<UUID> eventIds = outbox.addAll(placed.events());
        keepDeadline(placed.order());
        Log.infof("order %s placed (events %s, saga deadline %s)", placed.order().id(), eventIds, placed.order().deadlineEvent());
        return new Placement(placed.order(), true);
    }

    /** Up to {@code limit} orders from the {@code offset}-th, newest first: one customer's, or everyone's (null). */
    public List<Order> list(String customerId, int offset, int limit) {
        return orders.newestFirst(customerId, offset, limit);
    }

    /**
     * Pays a confirmed order's total. The order's row lock orders a payment and a payment deadline that race: the
     * one that comes second finds the order PAID or CANCELLED.
     */
    @Transactional
    public Optional<Order> pay(UUID orderId, BigDecimal amount) {
        Optional<Order> order = orders.lockById(orderId);
        order.ifPresent(o -> {
            OrderStatus before = o.status();
            List<UUID> eventIds = outbox.addAll(o.pay(amount, Instant.now()));
            keepDeadline(o);
            Log.infof("order %s %s -> %s after a payment of %s (events %s)", orderId, before, o.status(),
                    amount.toPlainString(), eventIds);
        });
        return order;
    }

    public Optional<Order> find(UUID id) {
        return orders.findByIdOptional(id);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void stockReserved(StockReserved e) {
        apply(e.orderId(), e.type(), o -> o.noteStockReserved(e.lines()));
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
        apply(e.orderId(), e.type(), o -> o.noteCouponLocked(e.discountPercent()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void deadlinePassed(OrderDeadlinePassed e) {
        if (e.deadline() == null) {
            throw new RuleViolation("OrderDeadlinePassed of order " + e.orderId() + " names no deadline");
        }
        apply(e.orderId(), e.type() + "(" + e.deadline() + ")", o -> o.noteDeadlinePassed(e.deadline()));
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
        keepDeadline(order.get());
        Log.infof("order %s %s -> %s after %s (events %s)", orderId, before, order.get().status(), what, eventIds);
    }

    /**
     * The order waits under the deadline of its status: when the status changed, the old deadline's delayed event is
     * withdrawn (it may have fired already: then it arrives and changes nothing) and the new one scheduled.
     */
    private void keepDeadline(Order order) {
        Deadline wanted = order.wantedDeadline();
        if (wanted == order.deadline()) {
            return;
        }
        if (order.deadlineEvent() != null) {
            outbox.cancel(new Outbox.Scheduled(order.deadlineEvent()));
        }
        if (wanted == null) {
            order.awaitDeadline(null, null);
            return;
        }
        Instant due = Instant.now().plus(wanted == Deadline.SAGA ? sagaDeadline : paymentTimeout);
        Outbox.Scheduled scheduled = outbox.schedule(new OrderDeadlinePassed(order.id().toString(), wanted, due), due);
        order.awaitDeadline(wanted, scheduled.eventId());
    }
}
