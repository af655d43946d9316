package dev.ordersaga.inventory.domain;

/** A conditional write found the stock missing or at another version than the writer had read. */
public class StockChanged extends RuntimeException {

    public StockChanged(String sku) {
        super("the stock of " + sku + " is not the version the request names (If-Match): read it again");
    }
}
