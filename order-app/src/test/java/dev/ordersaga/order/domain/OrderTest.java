package dev.ordersaga.order.domain;

import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest {

    @Test
    void withoutACouponStockAloneConfirms() {
        Order order = Orders.placed(null);
        assertThat(order.noteStockReserved()).containsInstanceOf(OrderConfirmed.class);
        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void withACouponBothResultsAreNeededInAnyOrder() {
        Order a = Orders.placed("WELCOME10");
        assertThat(a.noteStockReserved()).isEmpty();
        assertThat(a.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(a.noteCouponLocked()).containsInstanceOf(OrderConfirmed.class);

        Order b = Orders.placed("WELCOME10");
        assertThat(b.noteCouponLocked()).isEmpty();
        assertThat(b.noteStockReserved()).hasValueSatisfying(e ->
                assertThat(((OrderConfirmed) e).couponCode()).isEqualTo("WELCOME10"));
    }

    @Test
    void theFirstRejectionCancelsWithItsReasonAndNamesTheCouponToRelease() {
        Order order = Orders.placed("WELCOME10");
        order.noteCouponLocked();
        assertThat(order.reject("OUT_OF_STOCK")).hasValueSatisfying(e -> {
            OrderCancelled c = (OrderCancelled) e;
            assertThat(c.reason()).isEqualTo("OUT_OF_STOCK");
            assertThat(c.couponCode()).isEqualTo("WELCOME10");
        });
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.reason()).isEqualTo("OUT_OF_STOCK");
    }

    @Test
    void lateAndRepeatedResultsChangeNothing() {
        Order cancelled = Orders.placed("WELCOME10");
        cancelled.reject(Order.COUPON_UNAVAILABLE);
        assertThat(cancelled.noteStockReserved()).isEmpty();
        assertThat(cancelled.reject("OUT_OF_STOCK")).isEmpty();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo(Order.COUPON_UNAVAILABLE);

        Order confirmed = Orders.placed(null);
        confirmed.noteStockReserved();
        assertThat(confirmed.noteStockReserved()).isEmpty();
        assertThat(confirmed.reject("OUT_OF_STOCK")).isEmpty();
        assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void aCouponResultForAnOrderWithoutCouponIsIgnored() {
        Order order = Orders.placed(null);
        assertThat(order.noteCouponLocked()).isEmpty();
        assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anOrderNeedsLinesOfAtLeastOneUnit() {
        assertThatThrownBy(() -> new OrderLine("SKU-1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Order.place("c-1", java.util.List.of(), null, null, java.time.Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
