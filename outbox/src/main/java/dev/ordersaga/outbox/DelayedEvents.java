package dev.ordersaga.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fires delayed events ({@link Outbox#schedule}): moves every due row of {@code outbox_delayed} into the outbox in
 * one transaction per batch, so the relay publishes it like any other event. Every instance of a service runs this;
 * {@code FOR UPDATE SKIP LOCKED} gives each due row to exactly one of them, and the row leaves the table in the
 * transaction that writes it to the outbox, so it fires once and a cancel that commits first means it never fires.
 *
 * <p>Written by hand rather than with db-scheduler: db-scheduler runs a task and then, in a separate statement,
 * marks it done, so "fire = one outbox row, atomically" needs our own SQL anyway; its executions table carries a
 * serialized Java task rather than the event row; and it polls at a fixed interval (10 s by default), where a
 * deadline wants to sleep until the next due time. The whole mechanism here is two statements and this loop.
 *
 * <p>When to poll: at the next due time (one index lookup), at the latest every {@code outbox.delayed.max-interval}
 * (an event scheduled by another instance for sooner), at the earliest {@code outbox.delayed.min-interval} after the
 * last firing (so a steady stream fires in batches, not one transaction per event). An event this instance
 * schedules for before the planned wake-up wakes it when its transaction commits.
 */
@ApplicationScoped
public class DelayedEvents {

    private final EntityManager em;
    private final MeterRegistry metrics;
    private final TransactionSynchronizationRegistry transactions;
    private final boolean enabled;
    private final boolean deleteAfterInsert;
    private final int batchSize;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final Duration pendingRefresh;
    private final Counter fired;
    private final Counter cancelled;
    private final Counter scheduled;
    private final Timer lateness;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final Object wakeUp = new Object();
    private volatile Instant plannedWake = Instant.MAX;
    private volatile boolean woken;
    private volatile boolean running;
    private Thread poller;
    private Instant pendingCountedAt = Instant.EPOCH;

    public DelayedEvents(EntityManager em, MeterRegistry metrics, TransactionSynchronizationRegistry transactions,
                         @ConfigProperty(name = "outbox.delayed.enabled", defaultValue = "true") boolean enabled,
                         @ConfigProperty(name = "outbox.delete-after-insert", defaultValue = "true") boolean deleteAfterInsert,
                         @ConfigProperty(name = "outbox.delayed.batch-size", defaultValue = "500") int batchSize,
                         @ConfigProperty(name = "outbox.delayed.min-interval", defaultValue = "20ms") Duration minInterval,
                         @ConfigProperty(name = "outbox.delayed.max-interval", defaultValue = "2s") Duration maxInterval,
                         @ConfigProperty(name = "outbox.delayed.pending-refresh", defaultValue = "60s") Duration pendingRefresh) {
        this.em = em;
        this.metrics = metrics;
        this.transactions = transactions;
        this.enabled = enabled;
        this.deleteAfterInsert = deleteAfterInsert;
        this.batchSize = batchSize;
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.pendingRefresh = pendingRefresh;
        this.fired = metrics.counter("outbox.delayed.fired");
        this.cancelled = metrics.counter("outbox.delayed.cancelled");
        this.scheduled = metrics.counter("outbox.delayed.scheduled");
        this.lateness = Timer.builder("outbox.delayed.lateness")
                .description("due time -> commit of the outbox row")
                .publishPercentileHistogram()
                .register(metrics);
        metrics.gauge("outbox.delayed.pending", pending);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            Log.info("delayed events: this instance does not fire them (outbox.delayed.enabled=false)");
            return;
        }
        running = true;
        poller = new Thread(this::loop, "outbox-delayed");
        poller.setDaemon(true);
        poller.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (poller != null) {
            wake();
            try {
                poller.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called by {@link Outbox#schedule} in the caller's transaction: counts and wakes the poller once it commits. */
    void scheduled(Instant deliverAt) {
        boolean sooner = deliverAt.isBefore(plannedWake);
        afterCommit(() -> {
            scheduled.increment();
            if (sooner) {
                wake();
            }
        });
    }

    /** Called by {@link Outbox#cancel} in the caller's transaction. */
    void cancelled() {
        afterCommit(cancelled::increment);
    }

    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private void wake() {
        synchronized (wakeUp) {
            woken = true;
            wakeUp.notifyAll();
        }
    }

    private void loop() {
        Duration backoff = minInterval;
        while (running) {
            // until this pass has read the next due time, any event scheduled here may be sooner: it wakes us
            plannedWake = Instant.MAX;
            Instant started = Instant.now();
            Instant wakeAt;
            try {
                Pass pass = fire(started);
                if (pass.fired() == batchSize) {
                    passes.incrementAndGet();
                    continue;
                }
                refreshPending();
                Instant next = pass.nextDue() == null ? Instant.MAX : pass.nextDue();
                Instant latest = Instant.now().plus(maxInterval);
                wakeAt = next.isAfter(latest) ? latest : next;
                backoff = minInterval;
            } catch (RuntimeException e) {
                // the database is away: nothing is lost (the rows wait), try again later
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
                Log.warnf("delayed events: firing failed, next attempt in %d ms: %s", backoff.toMillis(), e.toString());
                wakeAt = Instant.now().plus(backoff);
            }
            passes.incrementAndGet();
            sleepUntil(wakeAt, started.plus(minInterval));
        }
    }

    /** Passes of the poller so far, for tests that wait for one to have looked. */
    long passes() {
        return passes.get();
    }

    /** Sleeps until {@code wakeAt}, or until woken, and in either case not before {@code earliest}. */
    private void sleepUntil(Instant wakeAt, Instant earliest) {
        Instant target = wakeAt.isBefore(earliest) ? earliest : wakeAt;
        plannedWake = target;
        synchronized (wakeUp) {
            while (running) {
                Instant until = woken ? earliest : target;
                long ms = Duration.between(Instant.now(), until).toMillis();
                if (ms <= 0) {
                    break;
                }
                try {
                    wakeUp.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    private record Fired(UUID id, String type, String aggregateId, Instant deliverAt) {
    }

    /**
     * Moves up to one batch of events due at {@code now} into the outbox, in one transaction: each leaves the delayed
     * table in the statement that writes it to the outbox, in due order. Returns how many fired.
     */
    public int fireDue(Instant now) {
        return fire(now).fired();
    }

    /** What one pass fired and, when it did not fill a batch, the next due time after it (null: none). */
    private record Pass(int fired, Instant nextDue) {
    }

    /** One transaction, one or two statements: the firing and, if the batch was not full, the next due time. */
    private Pass fire(Instant now) {
        Instant[] next = new Instant[1];
        List<Fired> batch = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(c -> {
            List<Fired> out = new ArrayList<>();
            try (PreparedStatement fire = c.prepareStatement("""
                    WITH due AS (
                        DELETE FROM outbox_delayed WHERE id IN (
                            SELECT id FROM outbox_delayed WHERE deliver_at <= ?
                            ORDER BY deliver_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING id, aggregatetype, aggregateid, type, payload, deliver_at, traceparent),
                    moved AS (
                        INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, created_at, traceparent)
                        SELECT id, aggregatetype, aggregateid, type, payload, clock_timestamp(), traceparent FROM due
                        ORDER BY deliver_at, id
                        RETURNING id)
                    SELECT due.id, due.type, due.aggregateid, due.deliver_at FROM due JOIN moved USING (id)""")) {
                fire.setTimestamp(1, Timestamp.from(now));
                fire.setInt(2, batchSize);
                try (ResultSet rs = fire.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Fired(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            if (deleteAfterInsert && !out.isEmpty()) {
                // as Outbox.add does: the WAL carries the insert, the publication does not publish deletes
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
                    delete.setArray(1, c.createArrayOf("uuid", out.stream().map(Fired::id).toArray()));
                    delete.executeUpdate();
                }
            }
            if (out.size() < batchSize) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(deliver_at) FROM outbox_delayed")) {
                    rs.next();
                    Timestamp t = rs.getTimestamp(1);
                    next[0] = t == null ? null : t.toInstant();
                }
            }
            return out;
        }));
        Instant committed = Instant.now();
        for (Fired f : batch) {
            lateness.record(Duration.between(f.deliverAt(), committed).isNegative() ? Duration.ZERO : Duration.between(f.deliverAt(), committed));
            Log.infof("delayed event %s (%s of order %s) fired, due %s", f.id(), f.type(), f.aggregateId(), f.deliverAt());
        }
        fired.increment(batch.size());
        return new Pass(batch.size(), next[0]);
    }

    /** Counting a million rows takes tens of milliseconds: done every {@code outbox.delayed.pending-refresh}. */
    private void refreshPending() {
        Instant now = Instant.now();
        if (now.isBefore(pendingCountedAt.plus(pendingRefresh))) {
            return;
        }
        pendingCountedAt = now;
        pending.set(pendingCount());
    }

    /** Delayed events not fired and not cancelled, in this service's database. */
    public long pendingCount() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox_delayed").getSingleResult()).longValue());
    }
}
