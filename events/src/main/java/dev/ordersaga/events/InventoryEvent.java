package dev.ordersaga.events;

import java.math.BigDecimal;
import java.util.List;

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

    /** One SKU of a reservation at its unit price (a decimal with two places, as a JSON string). */
    record PricedLine(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** Every line of the order is held; {@code lines} says at what unit price (absent from older producers). */
    record StockReserved(int version, String orderId, @Nullable List<PricedLine> lines) implements InventoryEvent {
        public static final int VERSION = 1;

        @Override
        public void dispatch(Handler handler) {
            handler.onStockReserved(this);
        }

        public StockReserved(String orderId, List<PricedLine> lines) {
            this(VERSION, orderId, lines);
        }
    }

    /**
     * Nothing is held; {@code sku} names the first line that failed ({@code ORDER_CANCELLED}: the order was cancelled
     * before it was placed here, and the first line is named). Version 2 added {@code ORDER_CANCELLED}.
     */
    record StockRejected(int version, String orderId, Reason reason, String sku) implements InventoryEvent {
        public static final int VERSION = 2;

        @Override
        public void dispatch(Handler handler) {
            handler.onStockRejected(this);
        }

        public enum Reason { OUT_OF_STOCK, UNKNOWN_SKU, ORDER_CANCELLED }

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
