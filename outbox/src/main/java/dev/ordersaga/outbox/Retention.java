package dev.ordersaga.outbox;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the outbox (when rows are kept), the inbox and the cancelled orders from growing without bound. An inbox entry only has to
 * outlive the longest redelivery window of its topic; the default two weeks is far past Kafka's usual retention. The
 * journals, the resolved parked events and the operators' actions are kept as long as the inbox; an event still parked
 * is never purged.
 */
@ApplicationScoped
public class Retention {

    private final EntityManager em;
    private final Duration outboxRetention;
    private final Duration inboxRetention;

    public Retention(EntityManager em,
                     @ConfigProperty(name = "outbox.retention", defaultValue = "P7D") Duration outboxRetention,
                     @ConfigProperty(name = "inbox.retention", defaultValue = "P14D") Duration inboxRetention) {
        this.em = em;
        this.outboxRetention = outboxRetention;
        this.inboxRetention = inboxRetention;
    }

    @Scheduled(every = "${outbox.retention.interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge(Instant.now());
    }

    /** Deletes the rows older than their retention at {@code now}; returns how many. */
    @Transactional
    public int purge(Instant now) {
        int outbox = em.createNativeQuery("DELETE FROM outbox WHERE created_at < ?1")
                .setParameter(1, now.minus(outboxRetention)).executeUpdate();
        int inbox = em.createNativeQuery("DELETE FROM inbox WHERE received_at < ?1")
                .setParameter(1, now.minus(inboxRetention)).executeUpdate();
        int cancelled = em.createNativeQuery("DELETE FROM cancelled_order WHERE cancelled_at < ?1")
                .setParameter(1, now.minus(inboxRetention)).executeUpdate();
        Instant journalHorizon = now.minus(inboxRetention);
        int journals = purge("DELETE FROM outbox_journal WHERE written_at < ?1", journalHorizon)
                + purge("DELETE FROM consumer_journal WHERE at < ?1", journalHorizon);
        int parked = purge("DELETE FROM parked_event WHERE status <> 'parked' AND resolved_at < ?1", journalHorizon)
                + purge("DELETE FROM parked_action WHERE at < ?1", journalHorizon);
        if (outbox + inbox + cancelled + journals + parked > 0) {
            Log.infof("retention purged %d outbox rows, %d inbox rows, %d cancelled orders, %d journal rows and %d resolved"
                    + " parked events or actions", outbox, inbox, cancelled, journals, parked);
        }
        return outbox + inbox + cancelled + journals + parked;
    }

    private int purge(String delete, Instant before) {
        return em.createNativeQuery(delete).setParameter(1, before).executeUpdate();
    }
}
