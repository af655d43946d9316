package dev.ordersaga.events;

/**
 * The topic contract. One topic per aggregate type; the record key is the aggregate id (the order id for
 * every saga event), so all events of one order stay in order on one partition.
 *
 * <p>Headers: {@value #ID_HEADER} (event id, a UUID, unique per event: use it to deduplicate) and
 * {@value #TYPE_HEADER} (the simple name of the event record, e.g. {@code OrderPlaced}). The value is the
 * event as one JSON object, UTF-8, with a {@code version} field.
 */
public final class Topics {

    public static final String ORDERS = "orders.events";
    public static final String INVENTORY = "inventory.events";
    public static final String COUPONS = "coupons.events";

    public static final String ID_HEADER = "id";
    public static final String TYPE_HEADER = "eventType";

    private Topics() {
    }

    /** The outbox aggregate type whose events go to {@code <aggregateType>.events}. */
    public static String topicOf(String aggregateType) {
        return aggregateType + ".events";
    }
}
