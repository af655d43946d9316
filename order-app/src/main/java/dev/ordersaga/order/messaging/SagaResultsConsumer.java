package dev.ordersaga.order.messaging;

import dev.ordersaga.events.CouponEvent;
import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRedeemed;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.CouponEvent.CouponReleased;
import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReleased;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.outbox.consumer.Inbound;
import dev.ordersaga.outbox.consumer.InboxConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stock and coupon results move an order to CONFIRMED or CANCELLED. */
@ApplicationScoped
public class SagaResultsConsumer implements InventoryEvent.Handler, CouponEvent.Handler {

    static final String CONSUMER = "order-app";

    private final InboxConsumer inbox;
    private final OrderService orders;

    public SagaResultsConsumer(InboxConsumer inbox, OrderService orders) {
        this.inbox = inbox;
        this.orders = orders;
    }

    @Incoming("inventory-events")
    @Blocking
    public void onInventoryEvents(ConsumerRecords<String, Inbound> records) {
        inbox.consume(CONSUMER, records, InventoryEvent.class, e -> e.dispatch(this));
    }

    @Incoming("coupons-events")
    @Blocking
    public void onCouponEvents(ConsumerRecords<String, Inbound> records) {
        inbox.consume(CONSUMER, records, CouponEvent.class, e -> e.dispatch(this));
    }

    @Override
    public void onStockReserved(StockReserved event) {
        orders.stockReserved(event);
    }

    @Override
    public void onStockRejected(StockRejected event) {
        orders.stockRejected(event);
    }

    @Override
    public void onStockReleased(StockReleased event) {
        // inventory's bookkeeping after a cancellation: the order is final already
    }

    @Override
    public void onCouponLocked(CouponLocked event) {
        orders.couponLocked(event);
    }

    @Override
    public void onCouponRejected(CouponRejected event) {
        orders.couponRejected(event);
    }

    @Override
    public void onCouponRedeemed(CouponRedeemed event) {
        // coupon-app's bookkeeping after a confirmation: the order is final already
    }

    @Override
    public void onCouponReleased(CouponReleased event) {
        // coupon-app's bookkeeping after a cancellation: the order is final already
    }
}
