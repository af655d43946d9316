package dev.ordersaga.order.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.math.BigDecimal;

@Embeddable
public class OrderLine {

    @Column(nullable = false)
    private String sku;

    @Column(nullable = false)
    private int quantity;

    /** Known once inventory reserved the line. */
    @Column(name = "unit_price")
    private BigDecimal unitPrice;

    protected OrderLine() {
    }

    public OrderLine(String sku, int quantity) {
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
        this.sku = sku;
        this.quantity = quantity;
    }

    public String sku() {
        return sku;
    }

    public int quantity() {
        return quantity;
    }

    public BigDecimal unitPrice() {
        return unitPrice;
    }

    void price(BigDecimal unitPrice) {
        this.unitPrice = unitPrice;
    }
}
