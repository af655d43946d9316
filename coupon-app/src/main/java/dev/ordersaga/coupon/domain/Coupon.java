package dev.ordersaga.coupon.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import dev.ordersaga.events.CouponEvent;
import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRedeemed;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.CouponEvent.CouponReleased;

import java.util.List;

/** A single-use coupon, held by at most one order that is not cancelled. Transitions return their events. */
@Entity
public class Coupon {

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
    public List<CouponEvent> lock(String forOrder) {
        switch (status) {
            case AVAILABLE -> {
                status = CouponStatus.LOCKED;
                orderId = forOrder;
                return List.of(new CouponLocked(forOrder, code, discountPercent));
            }
            case LOCKED -> {
                return List.of(forOrder.equals(orderId) ? new CouponLocked(forOrder, code, discountPercent)
                        : new CouponRejected(forOrder, code, CouponRejected.Reason.LOCKED_BY_ANOTHER_ORDER));
            }
            default -> {
                return List.of(new CouponRejected(forOrder, code, CouponRejected.Reason.ALREADY_REDEEMED));
            }
        }
    }

    /** What an order cancelled before it was placed here gets: the coupon is not touched. */
    public static List<CouponEvent> lockForCancelled(String forOrder, String code) {
        return List.of(new CouponRejected(forOrder, code, CouponRejected.Reason.ORDER_CANCELLED));
    }

    /** What an order that names a coupon nobody issued gets. */
    public static List<CouponEvent> lockUnknown(String forOrder, String code) {
        return List.of(new CouponRejected(forOrder, code, CouponRejected.Reason.UNKNOWN_COUPON));
    }

    /** Redeems it for the order that holds it; for any other order nothing changes. */
    public List<CouponEvent> redeem(String forOrder) {
        if (status == CouponStatus.LOCKED && forOrder.equals(orderId)) {
            status = CouponStatus.REDEEMED;
            return List.of(new CouponRedeemed(forOrder, code));
        }
        return List.of();
    }

    /** Releases the order's lock; a coupon the order never held stays as it is. */
    public List<CouponEvent> release(String forOrder) {
        if (status == CouponStatus.LOCKED && forOrder.equals(orderId)) {
            status = CouponStatus.AVAILABLE;
            orderId = null;
            return List.of(new CouponReleased(forOrder, code));
        }
        return List.of();
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
