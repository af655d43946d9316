package dev.ordersaga.coupon.ops;

import dev.ordersaga.coupon.domain.CouponRepository;
import dev.ordersaga.outbox.ops.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Map;

/** For the ops API: the coupon coupon-app holds for the order, if any. */
@ApplicationScoped
public class HeldCoupon implements OrderState {

    private final CouponRepository coupons;

    public HeldCoupon(CouponRepository coupons) {
        this.coupons = coupons;
    }

    @Override
    @Transactional
    public Map<String, Object> describe(String orderId) {
        return coupons.find("orderId", orderId).firstResultOptional()
                .<Map<String, Object>>map(c -> Map.of("code", c.code(), "status", c.status().name(),
                        "discountPercent", c.discountPercent()))
                .orElse(Map.of());
    }
}
