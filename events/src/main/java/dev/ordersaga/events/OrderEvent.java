package dev.ordersaga.events;

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

    /** Stock and coupon are held: the order is final, the coupon is redeemed. */
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

    /** A step was rejected: whoever holds something for this order releases it. */
    record OrderCancelled(int version, String orderId, Reason reason, @Nullable String couponCode) implements OrderEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onOrderCancelled(this);
        }

        public enum Reason { OUT_OF_STOCK, UNKNOWN_SKU, COUPON_UNAVAILABLE }

        public OrderCancelled(String orderId, Reason reason, String couponCode) {
            this(VERSION, orderId, reason, couponCode);
        }
    }
}
