package dev.ordersaga.inventory.messaging;

import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.inventory.domain.InventoryService;
import dev.ordersaga.outbox.Delivery;
import dev.ordersaga.outbox.EventConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Placed orders reserve stock; cancelled orders release it. */
@ApplicationScoped
public class OrderEventsConsumer {

    static final String CONSUMER = "inventory-app";

    private final EventConsumer consumer;
    private final InventoryService inventory;

    public OrderEventsConsumer(EventConsumer consumer, InventoryService inventory) {
        this.consumer = consumer;
        this.inventory = inventory;
    }

    @Incoming("orders-events")
    @Blocking
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        consumer.consume(CONSUMER, record, d -> d.event() instanceof OrderPlaced || d.event() instanceof OrderCancelled, this::apply);
    }

    void apply(Delivery d) {
        if (d.event() instanceof OrderPlaced e) {
            inventory.reserve(e);
        } else if (d.event() instanceof OrderCancelled e) {
            inventory.release(e.orderId());
        }
        // a confirmed order keeps what it holds
    }
}
