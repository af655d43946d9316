package dev.ordersaga.coupon.domain;

import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRedeemed;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.CouponEvent.CouponReleased;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CouponTest {

    @Test
    void aNewCouponIsAvailableToEveryOrder() {
        Coupon c = Coupon.issue("SPRING5", 5);
        assertThat(c.code()).isEqualTo("SPRING5");
        assertThat(c.discountPercent()).isEqualTo(5);
        assertThat(c.status()).isEqualTo(CouponStatus.AVAILABLE);
        assertThat(c.orderId()).isNull();
    }

    @Test
    void lockingAnAvailableCouponHoldsItForTheOrder() {
        Coupon c = Coupons.available();
        assertThat(c.lock("o-1")).containsExactly(new CouponLocked("o-1", c.code(), c.discountPercent()));
        assertThat(c.status()).isEqualTo(CouponStatus.LOCKED);
        assertThat(c.orderId()).isEqualTo("o-1");
    }

    @Test
    void lockingAgainForTheSameOrderIsASuccessThatChangesNothing() {
        Coupon c = Coupons.lockedBy("o-1");
        assertThat(c.lock("o-1")).containsExactly(new CouponLocked("o-1", c.code(), c.discountPercent()));
        assertThat(c.status()).isEqualTo(CouponStatus.LOCKED);
        assertThat(c.orderId()).isEqualTo("o-1");
    }

    @Test
    void anotherOrderCannotLockAHeldCoupon() {
        Coupon c = Coupons.lockedBy("o-1");
        assertThat(c.lock("o-2")).containsExactly(
                new CouponRejected("o-2", c.code(), CouponRejected.Reason.LOCKED_BY_ANOTHER_ORDER));
        assertThat(c.status()).isEqualTo(CouponStatus.LOCKED);
        assertThat(c.orderId()).isEqualTo("o-1");
    }

    @Test
    void onlyTheHolderRedeems() {
        Coupon c = Coupons.lockedBy("o-1");
        assertThat(c.redeem("o-2")).isEmpty();
        assertThat(c.status()).isEqualTo(CouponStatus.LOCKED);
        assertThat(c.redeem("o-1")).containsExactly(new CouponRedeemed("o-1", c.code()));
        assertThat(c.status()).isEqualTo(CouponStatus.REDEEMED);
        assertThat(c.orderId()).isEqualTo("o-1");
        assertThat(c.redeem("o-1")).as("redeeming twice").isEmpty();

        Coupon available = Coupons.available();
        assertThat(available.redeem("o-1")).isEmpty();
        assertThat(available.status()).isEqualTo(CouponStatus.AVAILABLE);
    }

    @Test
    void onlyTheHolderReleases() {
        Coupon c = Coupons.lockedBy("o-1");
        assertThat(c.release("o-2")).isEmpty();
        assertThat(c.status()).isEqualTo(CouponStatus.LOCKED);
        assertThat(c.orderId()).isEqualTo("o-1");
        assertThat(c.release("o-1")).containsExactly(new CouponReleased("o-1", c.code()));
        assertThat(c.status()).isEqualTo(CouponStatus.AVAILABLE);
        assertThat(c.orderId()).isNull();
        assertThat(c.release("o-1")).as("releasing twice").isEmpty();

        assertThat(c.lock("o-2")).as("a released coupon is free for the next order")
                .containsExactly(new CouponLocked("o-2", c.code(), c.discountPercent()));
        assertThat(c.orderId()).isEqualTo("o-2");
    }

    @Test
    void aRedeemedCouponIsNeverLockedOrReleasedAgain() {
        Coupon c = Coupons.redeemedBy("o-1");
        assertThat(c.lock("o-2")).containsExactly(new CouponRejected("o-2", c.code(), CouponRejected.Reason.ALREADY_REDEEMED));
        assertThat(c.lock("o-1")).containsExactly(new CouponRejected("o-1", c.code(), CouponRejected.Reason.ALREADY_REDEEMED));
        assertThat(c.release("o-1")).isEmpty();
        assertThat(c.status()).isEqualTo(CouponStatus.REDEEMED);
        assertThat(c.orderId()).isEqualTo("o-1");
    }

    @Test
    void theDiscountIsBetweenOneAndAHundredPercent() {
        assertThatThrownBy(() -> Coupon.issue("X", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Coupon.issue("X", 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Coupon.issue("X", -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Coupon.issue("X", 1).discountPercent()).isEqualTo(1);
        assertThat(Coupon.issue("X", 100).discountPercent()).isEqualTo(100);
    }
}
