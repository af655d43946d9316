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
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.outbox.consumer.Inbound;
import dev.ordersaga.outbox.consumer.InboxConsumer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stock and coupon results move an order to CONFIRMED or CANCELLED; its own deadlines, delayed events on
 * {@code orders.events}, cancel an order that waited too long. Its other events on that topic are its own news.
 */
@ApplicationScoped
public class SagaResultsConsumer implements InventoryEvent.Handler, CouponEvent.Handler, OrderEvent.Handler {

    static final String CONSUMER = "order-app";

    private final InboxConsumer inbox;
    private final OrderService orders;

    public SagaResultsConsumer(InboxConsumer inbox, OrderService orders) {
        this.inbox = inbox;
        this.orders = orders;
    }

    /** A replay of a parked event finds this consumer's handlers before the first poll after a start. */
    void registerHandlers(@Observes StartupEvent start) {
        inbox.register(CONSUMER, InventoryEvent.class, e -> e.dispatch(this));
        inbox.register(CONSUMER, CouponEvent.class, e -> e.dispatch(this));
        inbox.register(CONSUMER, OrderEvent.class, e -> e.dispatch(this));
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

    @Incoming("orders-events")
    @Blocking
    public void onOrderEvents(ConsumerRecords<String, Inbound> records) {
        inbox.consume(CONSUMER, records, OrderEvent.class, e -> e.dispatch(this));
    }

    @Override
    public void onOrderDeadlinePassed(OrderDeadlinePassed event) {
        orders.deadlinePassed(event);
    }

    @Override
    public void onOrderPlaced(OrderPlaced event) {
        // written by this service: the order is already here
    }

    @Override
    public void onOrderConfirmed(OrderConfirmed event) {
        // written by this service
    }

    @Override
    public void onOrderCancelled(OrderCancelled event) {
        // written by this service
    }

    @Override
    public void onOrderPaid(OrderPaid event) {
        // written by this service
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
