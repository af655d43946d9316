package dev.ordersaga.order.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class OrderRepository implements PanacheRepositoryBase<Order, UUID> {

    /** The customer's order placed with {@code key} since {@code since} (keys expire). */
    public Optional<Order> findByIdempotencyKey(String customerId, String key, java.time.Instant since) {
        return find("customerId = ?1 and idempotencyKey = ?2 and placedAt > ?3 order by placedAt desc", customerId, key, since)
                .firstResultOptional();
    }

    /** Up to {@code limit} orders from the {@code offset}-th, newest first: one customer's, or everyone's (null). */
    public java.util.List<Order> newestFirst(String customerId, int offset, int limit) {
        io.quarkus.panache.common.Sort sort = io.quarkus.panache.common.Sort.descending("placedAt", "id");
        var query = customerId == null ? findAll(sort) : find("customerId", sort, customerId);
        return query.range(offset, offset + limit - 1).list();
    }

    /** Saga results for one order are applied one at a time. */
    public Optional<Order> lockById(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Until the transaction ends, other transactions that lock the same key wait: one order per key. */
    public void lockIdempotencyKey(String customerId, String key) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "idempotency-key:" + customerId.length() + ":" + customerId + ":" + key).getSingleResult();
    }
}
