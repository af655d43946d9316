package dev.ordersaga.events;

/** Published by inventory-app on {@value Topics#INVENTORY}. */
public sealed interface InventoryEvent extends Event {

    String AGGREGATE_TYPE = "inventory";

    @Override
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    /**
     * One method per inventory event: a consumer that implements it handles every one of them, and a new event type
     * does not compile until each consumer says what it does with it (the exhaustive switch of Java 17).
     */
    interface Handler {
        void onStockReserved(StockReserved event);

        void onStockRejected(StockRejected event);

        void onStockReleased(StockReleased event);
    }

    /** Calls the handler's method for this event. */
    void dispatch(Handler handler);

    /** Every line of the order is held. */
    record StockReserved(int version, String orderId) implements InventoryEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onStockReserved(this);
        }

        public StockReserved(String orderId) {
            this(VERSION, orderId);
        }
    }

    /** Nothing is held; {@code sku} names the first line that failed. */
    record StockRejected(int version, String orderId, Reason reason, String sku) implements InventoryEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onStockRejected(this);
        }

        public enum Reason { OUT_OF_STOCK, UNKNOWN_SKU }

        public StockRejected(String orderId, Reason reason, String sku) {
            this(VERSION, orderId, reason, sku);
        }
    }

    /** What was held for a cancelled order is available again. */
    record StockReleased(int version, String orderId) implements InventoryEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onStockReleased(this);
        }

        public StockReleased(String orderId) {
            this(VERSION, orderId);
        }
    }
}
