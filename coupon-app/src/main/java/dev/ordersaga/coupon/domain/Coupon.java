package dev.ordersaga.coupon.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import java.util.Optional;

/** A single-use coupon, held by at most one order that is not cancelled. */
@Entity
public class Coupon {

    public static final String UNKNOWN_COUPON = "UNKNOWN_COUPON";
    public static final String ALREADY_REDEEMED = "ALREADY_REDEEMED";
    public static final String LOCKED_BY_ANOTHER_ORDER = "LOCKED_BY_ANOTHER_ORDER";

    @Id
    private String code;

    @Column(name = "discount_percent")
    private int discountPercent;

    @Enumerated(EnumType.STRING)
    private CouponStatus status;

    @Column(name = "order_id")
    private String orderId;

    @Version
    private long version;

    protected Coupon() {
    }

    public static Coupon issue(String code, int discountPercent) {
        if (discountPercent < 1 || discountPercent > 100) {
            throw new IllegalArgumentException("discountPercent must be between 1 and 100");
        }
        Coupon c = new Coupon();
        c.code = code;
        c.discountPercent = discountPercent;
        c.status = CouponStatus.AVAILABLE;
        return c;
    }

    /** Locks for the order, or says why not. Locking again for the same order is a no-op success. */
    public Optional<String> lock(String forOrder) {
        switch (status) {
            case AVAILABLE -> {
                status = CouponStatus.LOCKED;
                orderId = forOrder;
                return Optional.empty();
            }
            case LOCKED -> {
                return forOrder.equals(orderId) ? Optional.empty() : Optional.of(LOCKED_BY_ANOTHER_ORDER);
            }
            default -> {
                return Optional.of(ALREADY_REDEEMED);
            }
        }
    }

    /** True if this call redeemed it for the order. */
    public boolean redeem(String forOrder) {
        if (status == CouponStatus.LOCKED && forOrder.equals(orderId)) {
            status = CouponStatus.REDEEMED;
            return true;
        }
        return false;
    }

    /** True if this call released the order's lock; a coupon the order never held stays as it is. */
    public boolean release(String forOrder) {
        if (status == CouponStatus.LOCKED && forOrder.equals(orderId)) {
            status = CouponStatus.AVAILABLE;
            orderId = null;
            return true;
        }
        return false;
    }

    public String code() {
        return code;
    }

    public int discountPercent() {
        return discountPercent;
    }

    public CouponStatus status() {
        return status;
    }

    public String orderId() {
        return orderId;
    }
}
