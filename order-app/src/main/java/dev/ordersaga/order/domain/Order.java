package dev.ordersaga.order.domain;

import dev.ordersaga.events.InventoryEvent.PricedLine;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed.Deadline;
import dev.ordersaga.events.OrderEvent.OrderPaid;
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

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An order and its saga state. It waits for stock and, if it names one, a coupon; all positive confirms it,
 * the first rejection cancels it, and so does its saga deadline. A confirmed order waits for the payment of its
 * total until its payment deadline, which cancels it too. Results that arrive after the order is final change nothing: whatever they
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

    /** What the request with the idempotency key asked for ({@link #fingerprint}); null for older orders. */
    @Column(name = "idempotency_fingerprint")
    private String idempotencyFingerprint;

    @Column(name = "placed_at", nullable = false)
    private Instant placedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_lines", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    private List<OrderLine> lines = new ArrayList<>();

    /** The deadline the order waits under, and the delayed event that will say it passed. */
    @Enumerated(EnumType.STRING)
    private Deadline deadline;

    @Column(name = "deadline_event")
    private UUID deadlineEvent;

    @Column(name = "discount_percent")
    private Integer discountPercent;

    private BigDecimal total;

    @Column(name = "paid_at")
    private Instant paidAt;

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
        o.idempotencyFingerprint = idempotencyKey == null ? null : fingerprint(customerId, lines, couponCode);
        o.status = OrderStatus.PENDING;
        o.placedAt = now;
        return new Placed(o, List.of(new OrderPlaced(o.id.toString(), customerId,
                lines.stream().map(l -> new OrderEvent.Line(l.sku(), l.quantity())).toList(), couponCode, now)));
    }

    /**
     * Every line is held, at the unit prices given (none from an older inventory: the lines cost 0): confirms the
     * order if the coupon (if any) is held too.
     */
    public List<OrderEvent> noteStockReserved(List<PricedLine> prices) {
        if (status != OrderStatus.PENDING) {
            return List.of();
        }
        Map<String, BigDecimal> bySku = prices == null ? Map.of() : prices.stream()
                .collect(Collectors.toMap(PricedLine::sku, PricedLine::unitPrice, (a, b) -> a));
        lines.forEach(l -> l.price(bySku.getOrDefault(l.sku(), BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP)));
        stockReserved = true;
        return confirmIfComplete();
    }

    /**
     * Stock said no. {@code ORDER_CANCELLED} answers an {@code OrderPlaced} that reached inventory after the
     * order's {@code OrderCancelled}: the order is cancelled here already, nothing changes.
     */
    public List<OrderEvent> noteStockRejected(StockRejected.Reason why) {
        return switch (why) {
            case OUT_OF_STOCK -> cancel(OrderCancelled.Reason.OUT_OF_STOCK);
            case UNKNOWN_SKU -> cancel(OrderCancelled.Reason.UNKNOWN_SKU);
            case ORDER_CANCELLED -> List.of();
        };
    }

    /** The coupon is held, for {@code discountPercent} off (none from an older coupon service: 0). */
    public List<OrderEvent> noteCouponLocked(Integer discountPercent) {
        if (status != OrderStatus.PENDING || couponCode == null) {
            return List.of();
        }
        couponLocked = true;
        this.discountPercent = discountPercent == null ? 0 : discountPercent;
        return confirmIfComplete();
    }

    /**
     * A deadline passed: the saga's cancels an order still pending, the payment's an order confirmed and not paid.
     * A deadline of a state the order has left (it fired while the order moved on) changes nothing.
     */
    public List<OrderEvent> noteDeadlinePassed(Deadline passed) {
        if (passed == Deadline.SAGA && status == OrderStatus.PENDING) {
            return cancel(OrderCancelled.Reason.SAGA_TIMEOUT);
        }
        if (passed == Deadline.PAYMENT && status == OrderStatus.CONFIRMED) {
            status = OrderStatus.CANCELLED;
            reason = OrderCancelled.Reason.PAYMENT_TIMEOUT;
            return List.of(new OrderCancelled(id.toString(), reason, couponCode));
        }
        return List.of();
    }

    /**
     * Pays the total of a confirmed order. Paying a paid order again with its total changes nothing. Throws
     * {@link PaymentRefused} for an order that cannot be paid (pending, cancelled) or an amount that is not the total.
     */
    public List<OrderEvent> pay(BigDecimal amount, Instant now) {
        if (status != OrderStatus.CONFIRMED && status != OrderStatus.PAID) {
            throw new PaymentRefused(PaymentRefused.Why.NOT_PAYABLE, "order " + id + " is " + status + ": only a CONFIRMED order can be paid");
        }
        if (amount.compareTo(total) != 0) {
            throw new PaymentRefused(PaymentRefused.Why.WRONG_AMOUNT, "the amount " + amount.toPlainString()
                    + " is not the order's total " + total.toPlainString());
        }
        if (status == OrderStatus.PAID) {
            return List.of();
        }
        status = OrderStatus.PAID;
        paidAt = now;
        return List.of(new OrderPaid(id.toString(), couponCode, total, now));
    }

    /** The deadline the order should wait under in its status: none once it is final. */
    public Deadline wantedDeadline() {
        return switch (status) {
            case PENDING -> Deadline.SAGA;
            case CONFIRMED -> Deadline.PAYMENT;
            case PAID, CANCELLED -> null;
        };
    }

    /** The order now waits under {@code kind}, which the delayed event {@code eventId} will report (or none). */
    public void awaitDeadline(Deadline kind, UUID eventId) {
        this.deadline = kind;
        this.deadlineEvent = eventId;
    }

    public Deadline deadline() {
        return deadline;
    }

    public UUID deadlineEvent() {
        return deadlineEvent;
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
            total = computeTotal();
            return List.of(new OrderConfirmed(id.toString(), couponCode));
        }
        return List.of();
    }

    /** Sum of the lines at their unit prices, less the coupon's percentage, rounded half up to cents. */
    private BigDecimal computeTotal() {
        BigDecimal sum = lines.stream()
                .map(l -> (l.unitPrice() == null ? BigDecimal.ZERO : l.unitPrice()).multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        int percent = discountPercent == null ? 0 : discountPercent;
        return sum.multiply(BigDecimal.valueOf(100 - percent)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
    }

    /** Known once the order is confirmed. */
    public BigDecimal total() {
        return total;
    }

    public Instant paidAt() {
        return paidAt;
    }

    public Instant placedAt() {
        return placedAt;
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

    /** SHA-256 of what an order request asks for: who, which lines in which order, which coupon. */
    public static String fingerprint(String customerId, List<OrderLine> lines, String couponCode) {
        StringBuilder b = new StringBuilder().append(customerId.length()).append(':').append(customerId).append('|');
        for (OrderLine l : lines) {
            b.append(l.sku().length()).append(':').append(l.sku()).append('x').append(l.quantity()).append('|');
        }
        b.append(couponCode == null ? "-" : couponCode.length() + ":" + couponCode);
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a request with this order's idempotency key asks for the same as the one that placed it. */
    public boolean sameRequest(String customerId, List<OrderLine> lines, String couponCode) {
        return idempotencyFingerprint == null || idempotencyFingerprint.equals(fingerprint(customerId, lines, couponCode));
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
