package dev.ordersaga.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Remembers which events a consumer has applied. Call {@link #record} in the transaction that applies the events:
 * the ids and the state change commit together, so a redelivery finds the id and changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    /**
     * Records the events for this consumer in one statement and returns those seen for the first time; the others
     * were applied before. A concurrent delivery of the same event waits on the primary key until the first
     * commits, then finds it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> record(String consumer, Collection<UUID> eventIds) {
        // plain JDBC: one array parameter for the whole batch, which JPA's native queries cannot bind portably
        return em.unwrap(Session.class).doReturningWork(c -> {
            Set<UUID> fresh = new HashSet<>();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO inbox (consumer, event_id, received_at) SELECT ?, unnest(?), now()
                    ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id""")) {
                Array ids = c.createArrayOf("uuid", eventIds.toArray());
                insert.setString(1, consumer);
                insert.setArray(2, ids);
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return fresh;
        });
    }

    /** Which of these events this consumer has applied, without recording any (for events it must not apply now). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> seen(String consumer, Collection<UUID> eventIds) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            Set<UUID> seen = new HashSet<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT event_id FROM inbox WHERE consumer = ? AND event_id = ANY(?)")) {
                select.setString(1, consumer);
                select.setArray(2, c.createArrayOf("uuid", eventIds.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        seen.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return seen;
        });
    }

    /** Bounds how long this transaction's statements may wait on a row lock and run, so no wait is endless. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void limitWaits(long lockTimeoutMs, long statementTimeoutMs) {
        em.unwrap(Session.class).doWork(c -> {
            try (var s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = " + lockTimeoutMs + "; SET LOCAL statement_timeout = " + statementTimeoutMs);
            }
        });
    }
}
