package dev.ordersaga.coupon.messaging;

import dev.ordersaga.coupon.domain.CouponService;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.outbox.Delivery;
import dev.ordersaga.outbox.EventConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Orders with a coupon lock it; confirmed orders redeem it; cancelled orders release it. */
@ApplicationScoped
public class OrderEventsConsumer {

    static final String CONSUMER = "coupon-app";

    private final EventConsumer consumer;
    private final CouponService coupons;

    public OrderEventsConsumer(EventConsumer consumer, CouponService coupons) {
        this.consumer = consumer;
        this.coupons = coupons;
    }

    @Incoming("orders-events")
    @Blocking
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        consumer.consume(CONSUMER, record, OrderEventsConsumer::namesACoupon, this::apply);
    }

    private static boolean namesACoupon(Delivery d) {
        return (d.event() instanceof OrderPlaced e && e.couponCode() != null)
                || (d.event() instanceof OrderConfirmed e2 && e2.couponCode() != null)
                || (d.event() instanceof OrderCancelled e3 && e3.couponCode() != null);
    }

    void apply(Delivery d) {
        if (d.event() instanceof OrderPlaced e && e.couponCode() != null) {
            coupons.lock(e.orderId(), e.couponCode());
        } else if (d.event() instanceof OrderConfirmed e && e.couponCode() != null) {
            coupons.redeem(e.orderId(), e.couponCode());
        } else if (d.event() instanceof OrderCancelled e && e.couponCode() != null) {
            coupons.release(e.orderId(), e.couponCode());
        }
        // orders without a coupon are none of this service's business
    }
}
