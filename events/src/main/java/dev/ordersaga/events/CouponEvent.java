package dev.ordersaga.events;

/** Published by coupon-app on {@value Topics#COUPONS}. The key is the order id, like every saga event. */
public sealed interface CouponEvent extends Event {

    String AGGREGATE_TYPE = "coupons";

    @Override
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    /**
     * One method per coupon event: a consumer that implements it handles every one of them, and a new event type
     * does not compile until each consumer says what it does with it (the exhaustive switch of Java 17).
     */
    interface Handler {
        void onCouponLocked(CouponLocked event);

        void onCouponRejected(CouponRejected event);

        void onCouponRedeemed(CouponRedeemed event);

        void onCouponReleased(CouponReleased event);
    }

    /** Calls the handler's method for this event. */
    void dispatch(Handler handler);

    String code();

    /**
     * The coupon is held for this order, and takes {@code discountPercent} off its total (absent from older
     * producers). Orders without a coupon get no coupon event.
     */
    record CouponLocked(int version, String orderId, String code, @Nullable Integer discountPercent) implements CouponEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onCouponLocked(this);
        }

        public CouponLocked(String orderId, String code, Integer discountPercent) {
            this(VERSION, orderId, code, discountPercent);
        }
    }

    /** Version 2 added {@code ORDER_CANCELLED}: the order was cancelled before it was placed here. */
    record CouponRejected(int version, String orderId, String code, Reason reason) implements CouponEvent {
        public static final int VERSION = 2;

        @Override
        public void dispatch(Handler handler) {
            handler.onCouponRejected(this);
        }

        public enum Reason { UNKNOWN_COUPON, ALREADY_REDEEMED, LOCKED_BY_ANOTHER_ORDER, ORDER_CANCELLED }

        public CouponRejected(String orderId, String code, Reason reason) {
            this(VERSION, orderId, code, reason);
        }
    }

    record CouponRedeemed(int version, String orderId, String code) implements CouponEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onCouponRedeemed(this);
        }

        public CouponRedeemed(String orderId, String code) {
            this(VERSION, orderId, code);
        }
    }

    record CouponReleased(int version, String orderId, String code) implements CouponEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onCouponReleased(this);
        }

        public CouponReleased(String orderId, String code) {
            this(VERSION, orderId, code);
        }
    }
}
