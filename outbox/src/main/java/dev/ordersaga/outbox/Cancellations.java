package dev.ordersaga.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The orders this service saw cancelled, for every saga participant that holds something for an order: an
 * {@code OrderPlaced} that arrives after its {@code OrderCancelled} must hold nothing. Kept as long as the inbox
 * keeps event ids ({@link Retention}): past that, a redelivery is not deduplicated either.
 */
@ApplicationScoped
public class Cancellations {

    private final EntityManager em;

    public Cancellations(EntityManager em) {
        this.em = em;
    }

    public boolean isCancelled(String orderId) {
        return !em.createNativeQuery("SELECT 1 FROM cancelled_order WHERE order_id = ?1")
                .setParameter(1, orderId).getResultList().isEmpty();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void remember(String orderId, Instant at) {
        em.createNativeQuery("INSERT INTO cancelled_order (order_id, cancelled_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, orderId).setParameter(2, at).executeUpdate();
    }
}
