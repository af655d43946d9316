package dev.ordersaga.inventory.messaging;

import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderConfirmed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.inventory.domain.InventoryService;
import dev.ordersaga.outbox.consumer.Inbound;
import dev.ordersaga.outbox.consumer.InboxConsumer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Placed orders reserve stock; cancelled orders release it (and are remembered); paid orders buy it. */
@ApplicationScoped
public class OrderEventsConsumer implements OrderEvent.Handler {

    static final String CONSUMER = "inventory-app";

    private final InboxConsumer inbox;
    private final InventoryService inventory;

    public OrderEventsConsumer(InboxConsumer inbox, InventoryService inventory) {
        this.inbox = inbox;
        this.inventory = inventory;
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
        inventory.reserve(event);
    }

    @Override
    public void onOrderConfirmed(OrderConfirmed event) {
        // a confirmed order keeps what it holds until it is paid or cancelled
    }

    @Override
    public void onOrderPaid(OrderPaid event) {
        inventory.sell(event);
    }

    @Override
    public void onOrderDeadlinePassed(OrderDeadlinePassed event) {
        // order-app's timer: if it cancels the order, the OrderCancelled follows
    }

    @Override
    public void onOrderCancelled(OrderCancelled event) {
        inventory.release(event);
    }
}
