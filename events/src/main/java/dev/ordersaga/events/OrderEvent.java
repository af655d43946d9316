package dev.ordersaga.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Published by order-app on {@value Topics#ORDERS}. */
public sealed interface OrderEvent extends Event {

    String AGGREGATE_TYPE = "orders";

    @Override
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    /**
     * One method per order event: a consumer that implements it handles every one of them, and a new event type
     * does not compile until each consumer says what it does with it (the exhaustive switch of Java 17).
     */
    interface Handler {
        void onOrderPlaced(OrderPlaced event);

        void onOrderConfirmed(OrderConfirmed event);

        void onOrderCancelled(OrderCancelled event);

        void onOrderPaid(OrderPaid event);

        void onOrderDeadlinePassed(OrderDeadlinePassed event);
    }

    /** Calls the handler's method for this event. */
    void dispatch(Handler handler);

    record Line(String sku, int quantity) {
    }

    /** A new order waits for stock and, if it names one, a coupon. */
    record OrderPlaced(int version, String orderId, String customerId, List<Line> items, @Nullable String couponCode,
                       Instant placedAt) implements OrderEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderPlaced(this);
        }

        public OrderPlaced(String orderId, String customerId, List<Line> items, String couponCode, Instant placedAt) {
            this(VERSION, orderId, customerId, items, couponCode, placedAt);
        }
    }

    /** Stock and coupon are held: the order waits for its payment (until the payment deadline). */
    record OrderConfirmed(int version, String orderId, @Nullable String couponCode) implements OrderEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderConfirmed(this);
        }

        public OrderConfirmed(String orderId, String couponCode) {
            this(VERSION, orderId, couponCode);
        }
    }

    /**
     * A step was rejected, or a deadline passed: whoever holds something for this order releases it, and refuses it
     * if its {@code OrderPlaced} comes after this. Version 2 added the reasons {@code SAGA_TIMEOUT} and
     * {@code PAYMENT_TIMEOUT}.
     */
    record OrderCancelled(int version, String orderId, Reason reason, @Nullable String couponCode) implements OrderEvent {
        public static final int VERSION = 2;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderCancelled(this);
        }

        public enum Reason { OUT_OF_STOCK, UNKNOWN_SKU, COUPON_UNAVAILABLE, SAGA_TIMEOUT, PAYMENT_TIMEOUT }

        public OrderCancelled(String orderId, Reason reason, String couponCode) {
            this(VERSION, orderId, reason, couponCode);
        }
    }

    /**
     * The order's total was paid: the order is final. The coupon is redeemed, the reserved stock is sold. The amount
     * is a decimal with two places, as a JSON string.
     */
    record OrderPaid(int version, String orderId, @Nullable String couponCode, BigDecimal amount, Instant paidAt)
            implements OrderEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderPaid(this);
        }

        public OrderPaid(String orderId, String couponCode, BigDecimal amount, Instant paidAt) {
            this(VERSION, orderId, couponCode, amount, paidAt);
        }
    }

    /**
     * A deadline of the order passed (a delayed event, scheduled when the deadline was set). order-app decides:
     * a {@code SAGA} deadline cancels an order still pending, a {@code PAYMENT} deadline a confirmed order not paid;
     * for an order that moved on meanwhile it changes nothing. Other readers ignore it.
     */
    record OrderDeadlinePassed(int version, String orderId, Deadline deadline, Instant dueAt) implements OrderEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderDeadlinePassed(this);
        }

        public enum Deadline { SAGA, PAYMENT }

        public OrderDeadlinePassed(String orderId, Deadline deadline, Instant dueAt) {
            this(VERSION, orderId, deadline, dueAt);
        }
    }
}
