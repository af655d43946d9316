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
        public OrderPlaced(String orderId, String customerId, List<Line> items, String couponCode, Instant placedAt) {
            this(1, orderId, customerId, items, couponCode, placedAt);
        }
    }

    /** Stock and coupon are held: the order is final, the coupon is redeemed. */
    record OrderConfirmed(int version, String orderId, String couponCode) implements OrderEvent {
        public OrderConfirmed(String orderId, String couponCode) {
            this(1, orderId, couponCode);
        }
    }

    /** A step was rejected: whoever holds something for this order releases it. */
    record OrderCancelled(int version, String orderId, String reason, String couponCode) implements OrderEvent {
        public OrderCancelled(String orderId, String reason, String couponCode) {
            this(1, orderId, reason, couponCode);
        }
    }
}
