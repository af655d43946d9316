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

    record Line(String sku, int quantity) {
    }

    /** A new order waits for stock and, if it names one, a coupon. */
    record OrderPlaced(int version, String orderId, String customerId, List<Line> items, String couponCode,
                       Instant placedAt) implements OrderEvent {
        public static final int VERSION = 1;

        public OrderPlaced(String orderId, String customerId, List<Line> items, String couponCode, Instant placedAt) {
            this(VERSION, orderId, customerId, items, couponCode, placedAt);
        }
    }

    /** Stock and coupon are held: the order is final, the coupon is redeemed. */
    record OrderConfirmed(int version, String orderId, String couponCode) implements OrderEvent {
        public static final int VERSION = 1;

        public OrderConfirmed(String orderId, String couponCode) {
            this(VERSION, orderId, couponCode);
        }
    }

    /** A step was rejected: whoever holds something for this order releases it. */
    record OrderCancelled(int version, String orderId, Reason reason, String couponCode) implements OrderEvent {
        public static final int VERSION = 1;

        public enum Reason { OUT_OF_STOCK, UNKNOWN_SKU, COUPON_UNAVAILABLE }

        public OrderCancelled(String orderId, Reason reason, String couponCode) {
            this(VERSION, orderId, reason, couponCode);
        }
    }
}
