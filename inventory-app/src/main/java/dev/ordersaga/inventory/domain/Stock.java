package dev.ordersaga.inventory.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Units of one SKU: {@code available} for new orders, {@code reserved} held by orders not cancelled nor paid,
 * {@code sold} to paid orders; and the unit price new reservations are made at.
 */
@Entity
public class Stock {

    @Id
    private String sku;

    private int available;

    private int reserved;

    private int sold;

    private BigDecimal price = BigDecimal.ZERO.setScale(2);

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

    /** The unit price of new reservations; what is held keeps the price it was reserved at. */
    public void setPrice(BigDecimal price) {
        if (price.signum() < 0 || price.scale() > 2) {
            throw new IllegalArgumentException("price must be at least 0, with at most two decimal places");
        }
        this.price = price.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Reserved units of a paid order leave the stock for good. */
    public void sell(int quantity) {
        if (quantity > reserved) {
            throw new IllegalStateException("cannot sell " + quantity + " of " + sku + ": only " + reserved + " reserved");
        }
        reserved -= quantity;
        sold += quantity;
    }

    /** Changes with every write, an order's reservation included: the stock's ETag. */
    public long version() {
        return version;
    }

    public BigDecimal price() {
        return price;
    }

    public int sold() {
        return sold;
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
