package dev.ordersaga.order.domain;

import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.InventoryEvent.PricedLine;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed.Deadline;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest {

    @Test
    void withoutACouponStockAloneConfirms() {
        Order order = Orders.placed(null);
        assertThat(order.noteStockReserved(List.of())).singleElement().isInstanceOf(OrderConfirmed.class);
        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void withACouponBothResultsAreNeededInAnyOrder() {
        Order a = Orders.placed("WELCOME10");
        assertThat(a.noteStockReserved(List.of())).isEmpty();
        assertThat(a.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(a.noteCouponLocked(10)).singleElement().isInstanceOf(OrderConfirmed.class);

        Order b = Orders.placed("WELCOME10");
        assertThat(b.noteCouponLocked(10)).isEmpty();
        assertThat(b.noteStockReserved(List.of())).singleElement().satisfies(e ->
                assertThat(((OrderConfirmed) e).couponCode()).isEqualTo("WELCOME10"));
    }

    @Test
    void theFirstRejectionCancelsWithItsReasonAndNamesTheCouponToRelease() {
        Order order = Orders.placed("WELCOME10");
        order.noteCouponLocked(10);
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
        assertThat(cancelled.noteStockReserved(List.of())).isEmpty();
        assertThat(cancelled.noteStockRejected(StockRejected.Reason.OUT_OF_STOCK)).isEmpty();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo(OrderCancelled.Reason.COUPON_UNAVAILABLE);

        Order confirmed = Orders.placed(null);
        confirmed.noteStockReserved(List.of());
        assertThat(confirmed.noteStockReserved(List.of())).isEmpty();
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
        assertThat(order.noteCouponLocked(10)).isEmpty();
        assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anOrderNeedsLinesOfAtLeastOneUnit() {
        assertThatThrownBy(() -> new OrderLine("SKU-1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Order.place("c-1", java.util.List.of(), null, null, java.time.Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final Instant NOW = Instant.parse("2026-11-23T10:05:00Z");

    private static Order confirmedAt(String unitPrice, Integer discountPercent) {
        Order order = Orders.placed(discountPercent == null ? null : "WELCOME10");
        if (discountPercent != null) {
            order.noteCouponLocked(discountPercent);
        }
        order.noteStockReserved(List.of(new PricedLine("SKU-1", 2, new BigDecimal(unitPrice))));
        return order;
    }

    @Test
    void theTotalIsTheLinesAtTheirPricesLessTheCouponRoundedToCents() {
        assertThat(confirmedAt("12.50", null).total()).isEqualByComparingTo("25.00");
        assertThat(confirmedAt("12.50", 10).total()).isEqualByComparingTo("22.50");
        assertThat(confirmedAt("0.35", 15).total()).isEqualByComparingTo("0.60"); // 0.595 rounds half up
        assertThat(confirmedAt("9.99", 100).total()).isEqualByComparingTo("0.00");
        assertThat(confirmedAt("12.50", null).lines().get(0).unitPrice()).isEqualByComparingTo("12.50");
    }

    @Test
    void pricesMissingFromAnOlderInventoryCostNothing() {
        Order order = Orders.placed(null);
        order.noteStockReserved(null);
        assertThat(order.total()).isEqualByComparingTo("0.00");
    }

    @Test
    void payingTheTotalOnceMakesItPaidAndPayingAgainChangesNothing() {
        Order order = confirmedAt("12.50", 10);
        assertThat(order.pay(new BigDecimal("22.5"), NOW)).singleElement().satisfies(e -> {
            OrderPaid paid = (OrderPaid) e;
            assertThat(paid.amount()).isEqualTo(new BigDecimal("22.50"));
            assertThat(paid.couponCode()).isEqualTo("WELCOME10");
        });
        assertThat(order.status()).isEqualTo(OrderStatus.PAID);
        assertThat(order.pay(new BigDecimal("22.50"), NOW)).isEmpty();
        assertThat(order.noteDeadlinePassed(Deadline.PAYMENT)).as("a payment deadline after payment").isEmpty();
        assertThat(order.status()).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void aWrongAmountOrAnOrderNotConfirmedIsRefused() {
        Order order = confirmedAt("12.50", null);
        assertThatThrownBy(() -> order.pay(new BigDecimal("25.01"), NOW)).isInstanceOfSatisfying(PaymentRefused.class,
                e -> assertThat(e.why()).isEqualTo(PaymentRefused.Why.WRONG_AMOUNT));
        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);

        Order pending = Orders.placed(null);
        assertThatThrownBy(() -> pending.pay(BigDecimal.ZERO, NOW)).isInstanceOfSatisfying(PaymentRefused.class,
                e -> assertThat(e.why()).isEqualTo(PaymentRefused.Why.NOT_PAYABLE));
        Order cancelled = Orders.placed(null);
        cancelled.noteDeadlinePassed(Deadline.SAGA);
        assertThatThrownBy(() -> cancelled.pay(BigDecimal.ZERO, NOW)).isInstanceOf(PaymentRefused.class);
    }

    @Test
    void theSagaDeadlineCancelsOnlyAPendingOrder() {
        Order pending = Orders.placed("WELCOME10");
        assertThat(pending.wantedDeadline()).isEqualTo(Deadline.SAGA);
        assertThat(pending.noteDeadlinePassed(Deadline.SAGA)).singleElement().satisfies(e -> {
            assertThat(((OrderCancelled) e).reason()).isEqualTo(OrderCancelled.Reason.SAGA_TIMEOUT);
            assertThat(((OrderCancelled) e).couponCode()).isEqualTo("WELCOME10");
        });
        assertThat(pending.wantedDeadline()).isNull();

        Order confirmed = confirmedAt("1.00", null);
        assertThat(confirmed.noteDeadlinePassed(Deadline.SAGA)).as("a stale saga deadline").isEmpty();
        assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(confirmed.wantedDeadline()).isEqualTo(Deadline.PAYMENT);
    }

    @Test
    void thePaymentDeadlineCancelsAConfirmedOrderNotPaid() {
        Order confirmed = confirmedAt("1.00", 10);
        assertThat(confirmed.noteDeadlinePassed(Deadline.PAYMENT)).singleElement().satisfies(e ->
                assertThat(((OrderCancelled) e).reason()).isEqualTo(OrderCancelled.Reason.PAYMENT_TIMEOUT));
        assertThat(confirmed.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThatThrownBy(() -> confirmed.pay(new BigDecimal("1.80"), NOW)).isInstanceOf(PaymentRefused.class);
    }
}
