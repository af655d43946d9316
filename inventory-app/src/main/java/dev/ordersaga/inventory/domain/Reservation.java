package dev.ordersaga.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.util.UUID;

/** One order line's hold on a SKU. */
@Entity
public class Reservation {

    @Id
    private UUID id;

    @Column(name = "order_id")
    private String orderId;

    private String sku;

    private int quantity;

    private boolean released;

    private boolean sold;

    @Column(name = "unit_price")
    private BigDecimal unitPrice;

    @Version
    private long version;

    protected Reservation() {
    }

    static Reservation hold(String orderId, String sku, int quantity, BigDecimal unitPrice) {
        Reservation r = new Reservation();
        r.unitPrice = unitPrice;
        r.id = UUID.randomUUID();
        r.orderId = orderId;
        r.sku = sku;
        r.quantity = quantity;
        return r;
    }

    void release(Stock stock) {
        if (released || sold) {
            return;
        }
        stock.release(quantity);
        released = true;
    }

    void sell(Stock stock) {
        if (released || sold) {
            return;
        }
        stock.sell(quantity);
        sold = true;
    }

    public boolean sold() {
        return sold;
    }

    public BigDecimal unitPrice() {
        return unitPrice;
    }

    public String sku() {
        return sku;
    }

    public int quantity() {
        return quantity;
    }

    public boolean released() {
        return released;
    }
}
