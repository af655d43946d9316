package dev.ordersaga.events;

/** Every event: its version, the order it belongs to, and the aggregate it is published under. */
public sealed interface Event permits OrderEvent, InventoryEvent, CouponEvent {

    /** The payload version; a reader skips fields it does not know. */
    int version();

    /** The saga's correlation id and the Kafka record key: the order's UUID, as text. */
    String orderId();

    /** The outbox aggregate type, which names the topic. */
    String aggregateType();

    /** The value of the {@code eventType} header. */
    default String type() {
        return getClass().getSimpleName();
    }
}
