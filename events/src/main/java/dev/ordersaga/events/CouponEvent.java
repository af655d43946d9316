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
        public static final int VERSION = 1;

        public CouponLocked(String orderId, String code) {
            this(VERSION, orderId, code);
        }
    }

    record CouponRejected(int version, String orderId, String code, Reason reason) implements CouponEvent {
        public static final int VERSION = 1;

        public enum Reason { UNKNOWN_COUPON, ALREADY_REDEEMED, LOCKED_BY_ANOTHER_ORDER }

        public CouponRejected(String orderId, String code, Reason reason) {
            this(VERSION, orderId, code, reason);
        }
    }

    record CouponRedeemed(int version, String orderId, String code) implements CouponEvent {
        public static final int VERSION = 1;

        public CouponRedeemed(String orderId, String code) {
            this(VERSION, orderId, code);
        }
    }

    record CouponReleased(int version, String orderId, String code) implements CouponEvent {
        public static final int VERSION = 1;

        public CouponReleased(String orderId, String code) {
            this(VERSION, orderId, code);
        }
    }
}
