package dev.ordersaga.order.domain;

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
import java.util.Optional;
import java.util.UUID;

/**
 * An order and its saga state. It waits for stock and, if it names one, a coupon; all positive confirms it,
 * the first rejection cancels it. Results that arrive after the order is final change nothing: whatever they
 * hold is released by the {@code OrderCancelled} the holder receives after the {@code OrderPlaced}.
 */
@Entity
@Table(name = "orders")
public class Order {

    public static final String COUPON_UNAVAILABLE = "COUPON_UNAVAILABLE";

    @Id
    private UUID id;

    @Column(name = "customer_id", nullable = false)
    private String customerId;

    @Column(name = "coupon_code")
    private String couponCode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;

    private String reason;

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

    public static Order place(String customerId, List<OrderLine> lines, String couponCode, String idempotencyKey, Instant now) {
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
        return o;
    }

    public OrderPlaced placed() {
        return new OrderPlaced(id.toString(), customerId,
                lines.stream().map(l -> new OrderEvent.Line(l.sku(), l.quantity())).toList(), couponCode, placedAt);
    }

    /** Every line is held. Returns the event to publish if this confirms the order. */
    public Optional<OrderEvent> noteStockReserved() {
        if (status != OrderStatus.PENDING) {
            return Optional.empty();
        }
        stockReserved = true;
        return confirmIfComplete();
    }

    public Optional<OrderEvent> noteCouponLocked() {
        if (status != OrderStatus.PENDING || couponCode == null) {
            return Optional.empty();
        }
        couponLocked = true;
        return confirmIfComplete();
    }

    /** A step said no: cancel, once. Rejections of a confirmed order cannot happen and are ignored. */
    public Optional<OrderEvent> reject(String why) {
        if (status != OrderStatus.PENDING) {
            return Optional.empty();
        }
        status = OrderStatus.CANCELLED;
        reason = why;
        return Optional.of(new OrderCancelled(id.toString(), why, couponCode));
    }

    private Optional<OrderEvent> confirmIfComplete() {
        if (stockReserved && (couponCode == null || couponLocked)) {
            status = OrderStatus.CONFIRMED;
            return Optional.of(new OrderConfirmed(id.toString(), couponCode));
        }
        return Optional.empty();
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

    public String reason() {
        return reason;
    }

    public List<OrderLine> lines() {
        return List.copyOf(lines);
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
