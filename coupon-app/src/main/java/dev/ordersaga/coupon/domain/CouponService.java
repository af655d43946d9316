package dev.ordersaga.coupon.domain;

import dev.ordersaga.events.CouponEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.outbox.Cancellations;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.outbox.RuleViolation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Each saga step loads the order's coupon under a row lock, calls one transition, and adds its events to the outbox. */
@ApplicationScoped
public class CouponService {

    private static final int MAX_CODE_LENGTH = 64;

    private final CouponRepository coupons;
    private final Cancellations cancelled;
    private final Outbox outbox;

    public CouponService(CouponRepository coupons, Cancellations cancelled, Outbox outbox) {
        this.coupons = coupons;
        this.cancelled = cancelled;
        this.outbox = outbox;
    }

    @Transactional
    public Issued issue(String code, int discountPercent) {
        coupons.lockCode(code);
        java.util.Optional<Coupon> existing = coupons.findByIdOptional(code);
        if (existing.isPresent()) {
            if (existing.get().discountPercent() != discountPercent) {
                throw new CouponAlreadyIssued(code);
            }
            Log.infof("coupon %s issued again with the same discount: unchanged (%s)", code, existing.get().status());
            return new Issued(existing.get(), false);
        }
        Coupon c = Coupon.issue(code, discountPercent);
        coupons.persist(c);
        Log.infof("coupon %s issued (%d%%)", code, discountPercent);
        return new Issued(c, true);
    }

    /** The coupon a request issued, and whether it created it (a repeat of the same request does not). */
    public record Issued(Coupon coupon, boolean created) {
    }

    public Optional<Coupon> find(String code) {
        return coupons.findByIdOptional(code);
    }

    /** Orders without a coupon are none of this service's business. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(OrderPlaced order) {
        if (order.couponCode() == null) {
            return;
        }
        String code = validCode(order.orderId(), order.couponCode());
        List<CouponEvent> events = cancelled.isCancelled(order.orderId())
                ? Coupon.lockForCancelled(order.orderId(), code)
                : coupons.lock(code).map(c -> c.lock(order.orderId())).orElseGet(() -> Coupon.lockUnknown(order.orderId(), code));
        log(order.orderId(), code, "placed", outbox.addAll(events), events);
    }

    /** A coupon is redeemed when its order is paid (a confirmed order may still expire unpaid). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void redeem(OrderPaid order) {
        apply(order.orderId(), order.couponCode(), "paid", c -> c.redeem(order.orderId()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(OrderCancelled order) {
        cancelled.remember(order.orderId(), Instant.now());
        apply(order.orderId(), order.couponCode(), "cancelled", c -> c.release(order.orderId()));
    }

    private void apply(String orderId, String couponCode, String what, Function<Coupon, List<CouponEvent>> transition) {
        if (couponCode == null) {
            return;
        }
        String code = validCode(orderId, couponCode);
        List<CouponEvent> events = coupons.lock(code).map(transition).orElse(List.of());
        log(orderId, code, what, outbox.addAll(events), events);
    }

    private static String validCode(String orderId, String code) {
        if (code.isBlank() || code.length() > MAX_CODE_LENGTH || code.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new RuleViolation("order " + orderId + " names an invalid coupon code: " + code);
        }
        return code;
    }

    private static void log(String orderId, String code, String what, List<UUID> eventIds, List<CouponEvent> events) {
        Log.infof("coupon %s after order %s %s: %s (events %s)", code, orderId, what,
                events.isEmpty() ? "unchanged" : events.get(0).type(), eventIds);
    }
}
