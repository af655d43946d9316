package dev.ordersaga.events;

/** Published by inventory-app on {@value Topics#INVENTORY}. */
public sealed interface InventoryEvent extends Event {

    String AGGREGATE_TYPE = "inventory";

    @Override
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    /** Every line of the order is held. */
    record StockReserved(int version, String orderId) implements InventoryEvent {
        public StockReserved(String orderId) {
            this(1, orderId);
        }
    }

    /** Nothing is held; reason {@code OUT_OF_STOCK} or {@code UNKNOWN_SKU}, sku names the first line that failed. */
    record StockRejected(int version, String orderId, String reason, String sku) implements InventoryEvent {
        public StockRejected(String orderId, String reason, String sku) {
            this(1, orderId, reason, sku);
        }
    }

    /** What was held for a cancelled order is available again. */
    record StockReleased(int version, String orderId) implements InventoryEvent {
        public StockReleased(String orderId) {
            this(1, orderId);
        }
    }
}
