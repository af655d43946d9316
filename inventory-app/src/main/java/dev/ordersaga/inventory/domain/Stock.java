package dev.ordersaga.inventory.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** Units of one SKU: {@code available} for new orders, {@code reserved} held by orders not cancelled. */
@Entity
public class Stock {

    @Id
    private String sku;

    private int available;

    private int reserved;

    @Version
    private long version;

    protected Stock() {
    }

    public static Stock of(String sku, int available) {
        Stock s = new Stock();
        s.sku = sku;
        s.setAvailable(available);
        return s;
    }

    /** Sets what new orders can reserve; what is already held stays held. */
    public void setAvailable(int available) {
        if (available < 0) {
            throw new IllegalArgumentException("available must not be negative");
        }
        this.available = available;
    }

    public boolean canReserve(int quantity) {
        return quantity <= available;
    }

    public void reserve(int quantity) {
        if (!canReserve(quantity)) {
            throw new IllegalStateException("only " + available + " of " + sku + " available, " + quantity + " asked");
        }
        available -= quantity;
        reserved += quantity;
    }

    public void release(int quantity) {
        if (quantity > reserved) {
            throw new IllegalStateException("cannot release " + quantity + " of " + sku + ": only " + reserved + " reserved");
        }
        reserved -= quantity;
        available += quantity;
    }

    public String sku() {
        return sku;
    }

    public int available() {
        return available;
    }

    public int reserved() {
        return reserved;
    }
}
