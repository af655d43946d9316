package dev.ordersaga.coupon.domain;

/** Object mother for coupons in tests. */
public final class Coupons {

    private Coupons() {
    }

    public static Coupon available() {
        return Coupon.issue("WELCOME10", 10);
    }

    public static Coupon lockedBy(String orderId) {
        Coupon c = available();
        c.lock(orderId);
        return c;
    }

    public static Coupon redeemedBy(String orderId) {
        Coupon c = lockedBy(orderId);
        c.redeem(orderId);
        return c;
    }
}
