package dev.ordersaga.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * Remembers which events a consumer has applied. Call {@link #firstDelivery} in the transaction that applies
 * the event: the id and the state change commit together, so a redelivery finds the id and changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    /**
     * Records the event for this consumer. True the first time; false if it was already applied. A concurrent
     * delivery of the same event waits on the primary key until the first commits, then gets false.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, UUID eventId) {
        return em.createNativeQuery("""
                        INSERT INTO inbox (consumer, event_id, received_at) VALUES (?1, ?2, now())
                        ON CONFLICT (consumer, event_id) DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate() == 1;
    }
}
