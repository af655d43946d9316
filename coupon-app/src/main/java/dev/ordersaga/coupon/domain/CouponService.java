package dev.ordersaga.coupon.domain;

import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRedeemed;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.CouponEvent.CouponReleased;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.web.ConflictException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;

import java.util.Optional;

@ApplicationScoped
public class CouponService {

    private final CouponRepository coupons;
    private final Outbox outbox;

    public CouponService(CouponRepository coupons, Outbox outbox) {
        this.coupons = coupons;
        this.outbox = outbox;
    }

    @Transactional
    public Coupon issue(String code, int discountPercent) {
        if (coupons.findByIdOptional(code).isPresent()) {
            throw new ConflictException("code", "coupon " + code + " already exists");
        }
        Coupon c = Coupon.issue(code, discountPercent);
        try {
            coupons.persist(c);
            coupons.flush();
        } catch (ConstraintViolationException raced) {
            // a concurrent request issued the same code first
            throw new ConflictException("code", "coupon " + code + " already exists");
        }
        Log.infof("coupon %s issued (%d%%)", code, discountPercent);
        return c;
    }

    public Optional<Coupon> find(String code) {
        return coupons.findByIdOptional(code);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String orderId, String code) {
        Optional<Coupon> coupon = coupons.lock(code);
        Optional<String> refusal = coupon.isEmpty() ? Optional.of(Coupon.UNKNOWN_COUPON) : coupon.get().lock(orderId);
        if (refusal.isPresent()) {
            Log.infof("coupon %s rejected for order %s: %s (event %s)", code, orderId, refusal.get(),
                    outbox.add(new CouponRejected(orderId, code, refusal.get())));
        } else {
            Log.infof("coupon %s locked for order %s (event %s)", code, orderId, outbox.add(new CouponLocked(orderId, code)));
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void redeem(String orderId, String code) {
        coupons.lock(code).filter(c -> c.redeem(orderId)).ifPresent(c ->
                Log.infof("coupon %s redeemed by order %s (event %s)", code, orderId, outbox.add(new CouponRedeemed(orderId, code))));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(String orderId, String code) {
        coupons.lock(code).filter(c -> c.release(orderId)).ifPresentOrElse(
                c -> Log.infof("coupon %s released by order %s (event %s)", code, orderId, outbox.add(new CouponReleased(orderId, code))),
                () -> Log.infof("coupon %s was not held by order %s: nothing to release", code, orderId));
    }
}
