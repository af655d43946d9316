package dev.ordersaga.coupon.messaging;

import dev.ordersaga.coupon.domain.CouponService;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.outbox.consumer.Inbound;
import dev.ordersaga.outbox.consumer.InboxConsumer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Orders with a coupon lock it; paid orders redeem it; cancelled orders release it (and are remembered). */
@ApplicationScoped
public class OrderEventsConsumer implements OrderEvent.Handler {

    static final String CONSUMER = "coupon-app";

    private final InboxConsumer inbox;
    private final CouponService coupons;

    public OrderEventsConsumer(InboxConsumer inbox, CouponService coupons) {
        this.inbox = inbox;
        this.coupons = coupons;
    }

    /** A replay of a parked event finds this consumer's handlers before the first poll after a start. */
    void registerHandlers(@Observes StartupEvent start) {
        inbox.register(CONSUMER, OrderEvent.class, e -> e.dispatch(this));
    }

    @Incoming("orders-events")
    @Blocking
    public void onOrderEvents(ConsumerRecords<String, Inbound> records) {
        inbox.consume(CONSUMER, records, OrderEvent.class, e -> e.dispatch(this));
    }

    @Override
    public void onOrderPlaced(OrderPlaced event) {
        coupons.lock(event);
    }

    @Override
    public void onOrderConfirmed(OrderConfirmed event) {
        // the coupon stays locked until the order is paid or cancelled
    }

    @Override
    public void onOrderPaid(OrderPaid event) {
        coupons.redeem(event);
    }

    @Override
    public void onOrderDeadlinePassed(OrderDeadlinePassed event) {
        // order-app's timer: if it cancels the order, the OrderCancelled follows
    }

    @Override
    public void onOrderCancelled(OrderCancelled event) {
        coupons.release(event);
    }
}
