package dev.ordersaga.order.domain;

import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An order and its saga state. It waits for stock and, if it names one, a coupon; all positive confirms it,
 * the first rejection cancels it. Results that arrive after the order is final change nothing: whatever they
 * hold is released by the {@code OrderCancelled} the holder receives after the {@code OrderPlaced}.
 * Every transition returns the events it causes, for the caller to add to the outbox.
 */
@Entity
@Table(name = "orders")
public class Order {

    @Id
    private UUID id;

    @Column(name = "customer_id", nullable = false)
    private String customerId;

    @Column(name = "coupon_code")
    private String couponCode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;

    @Enumerated(EnumType.STRING)
    private OrderCancelled.Reason reason;

    @Column(name = "stock_reserved")
    private boolean stockReserved;

    @Column(name = "coupon_locked")
    private boolean couponLocked;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "placed_at", nullable = false)
    private Instant placedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_lines", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    private List<OrderLine> lines = new ArrayList<>();

    @Version
    private long version;

    protected Order() {
    }

    /** A new order and the event that starts its saga. */
    public record Placed(Order order, List<OrderEvent> events) {
    }

    public static Placed place(String customerId, List<OrderLine> lines, String couponCode, String idempotencyKey, Instant now) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        Order o = new Order();
        o.id = UUID.randomUUID();
        o.customerId = customerId;
        o.lines = new ArrayList<>(lines);
        o.couponCode = couponCode;
        o.idempotencyKey = idempotencyKey;
        o.status = OrderStatus.PENDING;
        o.placedAt = now;
        return new Placed(o, List.of(new OrderPlaced(o.id.toString(), customerId,
                lines.stream().map(l -> new OrderEvent.Line(l.sku(), l.quantity())).toList(), couponCode, now)));
    }

    /** Every line is held: confirms the order if the coupon (if any) is held too. */
    public List<OrderEvent> noteStockReserved() {
        if (status != OrderStatus.PENDING) {
            return List.of();
        }
        stockReserved = true;
        return confirmIfComplete();
    }

    public List<OrderEvent> noteStockRejected(StockRejected.Reason why) {
        return cancel(switch (why) {
            case OUT_OF_STOCK -> OrderCancelled.Reason.OUT_OF_STOCK;
            case UNKNOWN_SKU -> OrderCancelled.Reason.UNKNOWN_SKU;
        });
    }

    public List<OrderEvent> noteCouponLocked() {
        if (status != OrderStatus.PENDING || couponCode == null) {
            return List.of();
        }
        couponLocked = true;
        return confirmIfComplete();
    }

    public List<OrderEvent> noteCouponRejected() {
        return cancel(OrderCancelled.Reason.COUPON_UNAVAILABLE);
    }

    /** A step said no: cancel, once. Rejections of a confirmed order cannot happen and are ignored. */
    private List<OrderEvent> cancel(OrderCancelled.Reason why) {
        if (status != OrderStatus.PENDING) {
            return List.of();
        }
        status = OrderStatus.CANCELLED;
        reason = why;
        return List.of(new OrderCancelled(id.toString(), why, couponCode));
    }

    private List<OrderEvent> confirmIfComplete() {
        if (stockReserved && (couponCode == null || couponLocked)) {
            status = OrderStatus.CONFIRMED;
            return List.of(new OrderConfirmed(id.toString(), couponCode));
        }
        return List.of();
    }

    public UUID id() {
        return id;
    }

    public String customerId() {
        return customerId;
    }

    public String couponCode() {
        return couponCode;
    }

    public OrderStatus status() {
        return status;
    }

    public OrderCancelled.Reason reason() {
        return reason;
    }

    public List<OrderLine> lines() {
        return List.copyOf(lines);
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
