package dev.ordersaga.inventory.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

@ApplicationScoped
public class StockRepository implements PanacheRepositoryBase<Stock, String> {

    /** Row lock: concurrent orders for the last units queue here, so the database decides who gets them. */
    public Optional<Stock> lock(String sku) {
        return findByIdOptional(sku, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Locks the SKUs that exist, one at a time in SKU order, so two transactions never wait on each other. */
    public Map<String, Stock> lockAll(Collection<String> skus) {
        Map<String, Stock> locked = new HashMap<>();
        for (String sku : new TreeSet<>(skus)) {
            lock(sku).ifPresent(s -> locked.put(sku, s));
        }
        return locked;
    }

    /** A locked stock row, and whether this transaction created it. */
    public record Locked(Stock stock, boolean created) {
    }

    /** Inserts the SKU with nothing available if it is new, then locks it: two first writes of one SKU both succeed. */
    public Locked lockOrCreate(String sku) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT INTO stock (sku, available, reserved, version) VALUES (?1, 0, 0, 0) ON CONFLICT (sku) DO NOTHING")
                .setParameter(1, sku).executeUpdate();
        return new Locked(lock(sku).orElseThrow(), inserted == 1);
    }
}
