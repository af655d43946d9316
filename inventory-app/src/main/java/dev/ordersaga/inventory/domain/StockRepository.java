package dev.ordersaga.inventory.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;

@ApplicationScoped
public class StockRepository implements PanacheRepositoryBase<Stock, String> {

    /** Row lock: concurrent orders for the last units queue here, so the database decides who gets them. */
    public Optional<Stock> lock(String sku) {
        return findByIdOptional(sku, LockModeType.PESSIMISTIC_WRITE);
    }
}
