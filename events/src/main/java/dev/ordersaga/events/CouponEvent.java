package dev.ordersaga.events;

/** Published by coupon-app on {@value Topics#COUPONS}. The key is the order id, like every saga event. */
public sealed interface CouponEvent extends Event {

    String AGGREGATE_TYPE = "coupons";

    @Override
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    String code();

    /** The coupon is held for this order. Orders without a coupon get no coupon event. */
    record CouponLocked(int version, String orderId, String code) implements CouponEvent {
        public CouponLocked(String orderId, String code) {
            this(1, orderId, code);
        }
    }

    /** Reason {@code UNKNOWN_COUPON}, {@code ALREADY_REDEEMED} or {@code LOCKED_BY_ANOTHER_ORDER}. */
    record CouponRejected(int version, String orderId, String code, String reason) implements CouponEvent {
        public CouponRejected(String orderId, String code, String reason) {
            this(1, orderId, code, reason);
        }
    }

    record CouponRedeemed(int version, String orderId, String code) implements CouponEvent {
        public CouponRedeemed(String orderId, String code) {
            this(1, orderId, code);
        }
    }

    record CouponReleased(int version, String orderId, String code) implements CouponEvent {
        public CouponReleased(String orderId, String code) {
            this(1, orderId, code);
        }
    }
}
