package dev.ordersaga.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

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

    @Version
    private long version;

    protected Reservation() {
    }

    static Reservation hold(String orderId, String sku, int quantity) {
        Reservation r = new Reservation();
        r.id = UUID.randomUUID();
        r.orderId = orderId;
        r.sku = sku;
        r.quantity = quantity;
        return r;
    }

    void release(Stock stock) {
        if (released) {
            return;
        }
        stock.release(quantity);
        released = true;
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
