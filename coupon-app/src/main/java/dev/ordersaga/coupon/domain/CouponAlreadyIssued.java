package dev.ordersaga.coupon.domain;

/** A coupon code can be issued once. */
public class CouponAlreadyIssued extends RuntimeException {

    public CouponAlreadyIssued(String code) {
        super("coupon " + code + " already exists with another discount");
    }
}
