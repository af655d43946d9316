package dev.ordersaga.order.messaging;

import dev.ordersaga.events.CouponEvent.CouponLocked;
import dev.ordersaga.events.CouponEvent.CouponRejected;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.outbox.Delivery;
import dev.ordersaga.outbox.EventConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stock and coupon results move an order to CONFIRMED or CANCELLED. */
@ApplicationScoped
public class SagaResultsConsumer {

    static final String CONSUMER = "order-app";

    private final EventConsumer consumer;
    private final OrderService orders;

    public SagaResultsConsumer(EventConsumer consumer, OrderService orders) {
        this.consumer = consumer;
        this.orders = orders;
    }

    @Incoming("inventory-events")
    @Blocking
    public void onInventoryEvent(ConsumerRecord<String, String> record) {
        consumer.consume(CONSUMER, record, SagaResultsConsumer::isResult, this::apply);
    }

    @Incoming("coupons-events")
    @Blocking
    public void onCouponEvent(ConsumerRecord<String, String> record) {
        consumer.consume(CONSUMER, record, SagaResultsConsumer::isResult, this::apply);
    }

    private static boolean isResult(Delivery d) {
        return d.event() instanceof StockReserved || d.event() instanceof StockRejected
                || d.event() instanceof CouponLocked || d.event() instanceof CouponRejected;
    }

    void apply(Delivery d) {
        String what = d.describe();
        if (d.event() instanceof StockReserved e) {
            orders.apply(e.orderId(), what, Order::noteStockReserved);
        } else if (d.event() instanceof StockRejected e) {
            orders.apply(e.orderId(), what, o -> o.reject(e.reason()));
        } else if (d.event() instanceof CouponLocked e) {
            orders.apply(e.orderId(), what, Order::noteCouponLocked);
        } else if (d.event() instanceof CouponRejected e) {
            orders.apply(e.orderId(), what, o -> o.reject(Order.COUPON_UNAVAILABLE));
        }
        // releases and redemptions are the other services' bookkeeping: nothing to do here
    }
}
