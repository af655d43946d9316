package dev.ordersaga.order.domain;

import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest {

    @Test
    void withoutACouponStockAloneConfirms() {
        Order order = Orders.placed(null);
        assertThat(order.noteStockReserved()).singleElement().isInstanceOf(OrderConfirmed.class);
        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void withACouponBothResultsAreNeededInAnyOrder() {
        Order a = Orders.placed("WELCOME10");
        assertThat(a.noteStockReserved()).isEmpty();
        assertThat(a.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(a.noteCouponLocked()).singleElement().isInstanceOf(OrderConfirmed.class);

        Order b = Orders.placed("WELCOME10");
        assertThat(b.noteCouponLocked()).isEmpty();
        assertThat(b.noteStockReserved()).singleElement().satisfies(e ->
                assertThat(((OrderConfirmed) e).couponCode()).isEqualTo("WELCOME10"));
    }

    @Test
    void theFirstRejectionCancelsWithItsReasonAndNamesTheCouponToRelease() {
        Order order = Orders.placed("WELCOME10");
        order.noteCouponLocked();
        assertThat(order.noteStockRejected(StockRejected.Reason.OUT_OF_STOCK)).singleElement().satisfies(e -> {
            OrderCancelled c = (OrderCancelled) e;
            assertThat(c.reason()).isEqualTo(OrderCancelled.Reason.OUT_OF_STOCK);
            assertThat(c.couponCode()).isEqualTo("WELCOME10");
        });
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.reason()).isEqualTo(OrderCancelled.Reason.OUT_OF_STOCK);
    }

    @Test
    void lateAndRepeatedResultsChangeNothing() {
        Order cancelled = Orders.placed("WELCOME10");
        cancelled.noteCouponRejected();
        assertThat(cancelled.noteStockReserved()).isEmpty();
        assertThat(cancelled.noteStockRejected(StockRejected.Reason.OUT_OF_STOCK)).isEmpty();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo(OrderCancelled.Reason.COUPON_UNAVAILABLE);

        Order confirmed = Orders.placed(null);
        confirmed.noteStockReserved();
        assertThat(confirmed.noteStockReserved()).isEmpty();
        assertThat(confirmed.noteCouponRejected()).isEmpty();
        assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void placingReturnsTheEventThatStartsTheSaga() {
        Order.Placed placed = Order.place("c-1", java.util.List.of(new OrderLine("SKU-1", 2)), "WELCOME10", null,
                java.time.Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(placed.events()).singleElement().satisfies(e -> {
            var p = (dev.ordersaga.events.OrderEvent.OrderPlaced) e;
            assertThat(p.orderId()).isEqualTo(placed.order().id().toString());
            assertThat(p.items()).containsExactly(new dev.ordersaga.events.OrderEvent.Line("SKU-1", 2));
            assertThat(p.couponCode()).isEqualTo("WELCOME10");
        });
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
