package dev.ordersaga.inventory.domain;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * The orders this service saw cancelled, so that an {@code OrderPlaced} arriving after its {@code OrderCancelled}
 * holds nothing. Kept as long as the inbox keeps event ids: past that, a redelivery is not deduplicated either.
 */
@ApplicationScoped
public class CancelledOrderRepository {

    private final EntityManager em;
    private final Duration retention;

    public CancelledOrderRepository(EntityManager em,
                                    @ConfigProperty(name = "inbox.retention", defaultValue = "P14D") Duration retention) {
        this.em = em;
        this.retention = retention;
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

    @Scheduled(every = "${outbox.retention.interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        int n = em.createNativeQuery("DELETE FROM cancelled_order WHERE cancelled_at < ?1")
                .setParameter(1, Instant.now().minus(retention)).executeUpdate();
        if (n > 0) {
            Log.infof("retention purged %d cancelled orders", n);
        }
    }
}
