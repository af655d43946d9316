package dev.ordersaga.relay;

import io.quarkus.logging.Log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Which relay replica streams one source: the one holding a session-level advisory lock in the source database,
 * keyed by the slot name, on a connection of its own. The engine runs only while the lock is held. A standby
 * tries the lock every check interval; the leader checks every interval that its session still holds it and,
 * the moment it cannot tell, fences and stops its engine (or halts the process if the stop hangs). See the README
 * for why a lock in Postgres and not a Kubernetes Lease.
 *
 * <p>While it leads, a source is never given up: an engine that stops (Kafka down past the producer's timeout, the
 * database restarting) is started again with backoff, and a slot that cannot be streamed without skipping events
 * (missing, or invalidated by {@code max_slot_wal_keep_size}) is refused, with the reason in the log and the health
 * check, and checked again with the same backoff. Each source has its own leader, so one failing source never
 * stops the others.
 */
final class SourceLeader implements AutoCloseable {

    enum Role { STANDBY, ACTIVE }

    /** What the leader starts and stops; the relay's {@link SourceEngine}, a fake in tests. */
    interface Engine {
        SourceEngine.State state();

        String failure();

        /** Publishes nothing more from now on, even before the engine has stopped. */
        void fence();

        void close();
    }

    private final Source source;
    private final String instanceId;
    private final long key;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    /** An engine that streamed this long before it stopped starts again at once: its failure was not a loop. */
    private static final Duration STABLE = Duration.ofSeconds(60);

    private final RelayConfig.Leader settings;
    private final Function<Source, Engine> engines;
    private final Runnable halt;
    private final ScheduledExecutorService ticker;
    private Connection lock;
    private volatile Role role = Role.STANDBY;
    private volatile Engine engine;
    private volatile String failure;
    private volatile String detail = "not checked yet";
    private volatile long takeovers;
    private volatile long restarts;
    private String lastWarning;
    // the ticker's own: when the next start may be tried after a failure, and how long the one after waits
    private Duration backoff = FIRST_RETRY;
    private long retryAt;
    private long engineStartedAt;

    /**
     * @param engines   starts the source's engine (called only while the lock is held)
     * @param halt      the stop of a fenced engine hung: end the process so nothing stale is published
     */
    SourceLeader(Source source, String instanceId, RelayConfig.Leader settings, Function<Source, Engine> engines,
                 Runnable halt) {
        this.source = source;
        this.instanceId = instanceId;
        this.key = lockKey(source.slot());
        this.settings = settings;
        this.engines = engines;
        this.halt = halt;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-leader-" + source.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The same 64-bit key in every replica and every release: the first 8 bytes of SHA-256 over the slot name.
     * The slot, not the source name, because the slot is what must have a single reader.
     */
    static long lockKey(String slot) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("outbox-relay:" + slot).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Source source() {
        return source;
    }

    Role role() {
        return role;
    }

    long takeovers() {
        return takeovers;
    }

    /** Engine starts after a failure or a refused slot, while this replica led the source. */
    long restarts() {
        return restarts;
    }

    String instanceId() {
        return instanceId;
    }

    /** The engine's state while active; STOPPED on a standby. */
    SourceEngine.State state() {
        if (failure != null) {
            return SourceEngine.State.FAILED;
        }
        Engine e = engine;
        if (role == Role.STANDBY) {
            return SourceEngine.State.STOPPED;
        }
        return e == null ? SourceEngine.State.STARTING : e.state();
    }

    /** For the health check: why a standby waits, or what the engine does. */
    String detail() {
        Engine e = engine;
        if (failure != null) {
            return "FAILED: " + failure;
        }
        if (e != null && e.failure() != null) {
            return "FAILED: " + e.failure();
        }
        if (role == Role.ACTIVE && e != null) {
            return e.state().name();
        }
        return detail;
    }

    /** The first attempt, on the caller's thread, so that a single relay streams as soon as it has started. */
    void firstAttempt() {
        tryToLead();
    }

    void startTicking() {
        long every = settings.checkInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            if (role == Role.ACTIVE) {
                checkLeadership();
            } else {
                tryToLead();
            }
        } catch (RuntimeException e) {
            // the ticker must outlive any surprise: a dead ticker would leave a leader unchecked
            Log.errorf(e, "leadership check of %s failed", source.describe());
        }
    }

    private void tryToLead() {
        try {
            Connection c = lockConnection();
            try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                q.setLong(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        detail = "waiting: lock held by " + holder(c);
                        lastWarning = null;
                        return;
                    }
                }
            }
        } catch (SQLException e) {
            dropLockConnection();
            detail = "waiting: cannot reach the source: " + e.getMessage();
            if (!detail.equals(lastWarning)) {
                Log.warnf("relay %s cannot take the lock of %s: %s", instanceId, source.describe(), e.getMessage());
                lastWarning = detail;
            }
            return;
        }
        role = Role.ACTIVE;
        takeovers++;
        detail = "active";
        Log.infof("leadership: relay %s is now ACTIVE for %s (advisory lock %d)", instanceId, source.describe(), key);
        startIfSlotUsable(settings.checkInterval());
    }

    /** Starts the engine unless the slot cannot be streamed without skipping events: then refuses, and tries later. */
    private void startIfSlotUsable(Duration patience) {
        try {
            checkSlot(lock, source);
        } catch (SQLException e) {
            // the connection, not the slot: try again as a standby
            stepDown("the slot check failed: " + e.getMessage());
            return;
        } catch (IllegalStateException refused) {
            retryLater("refused: " + refused.getMessage());
            return;
        }
        startWhenSlotFree(patience);
    }

    /** The source stays FAILED, with the reason in the health check, until the next attempt after the backoff. */
    private void retryLater(String why) {
        failure = why;
        retryAt = System.nanoTime() + backoff.toNanos();
        Log.errorf("relay %s does not stream %s: %s; next attempt in %d s", instanceId, source.describe(), why,
                backoff.toSeconds());
        backoff = backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff.multipliedBy(2);
    }

    /**
     * Postgres lets one walsender read a slot: a stale leader still streaming (its lock session gone first) keeps
     * it busy, and an engine started now would fail. Wait for it here, still checking the lock every tick.
     */
    private void startWhenSlotFree(Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        try {
            while (true) {
                Integer reader = slotReader(lock);
                if (reader == null) {
                    break;
                }
                detail = "waiting for slot " + source.slot() + ", still read by backend pid " + reader;
                if (System.nanoTime() > until) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            stepDown("the lock connection failed: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure != null) {
            restarts++;
            Log.infof("relay %s starts the engine of %s again (restart %d) after: %s", instanceId, source.describe(),
                    restarts, failure);
        }
        failure = null;
        engineStartedAt = System.nanoTime();
        engine = engines.apply(source);
    }

    private void checkLeadership() {
        String lost = null;
        try (PreparedStatement q = lock.prepareStatement("""
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
                  AND classid = CAST(? AS bigint)::oid AND objid = CAST(? AS bigint)::oid""")) {
            q.setLong(1, key >>> 32);
            q.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != 1) {
                    lost = "the lock is no longer held by this session";
                }
            }
        } catch (SQLException e) {
            lost = "the lock connection failed: " + e.getMessage();
        }
        Engine e = engine;
        if (lost != null) {
            stepDown(lost);
        } else if (e != null && e.state() == SourceEngine.State.FAILED) {
            // Debezium has shut the engine down already; close what is left and start a new one after the backoff
            engine = null;
            stopWithin(e, settings.stopTimeout());
            if (System.nanoTime() - engineStartedAt > STABLE.toNanos()) {
                backoff = FIRST_RETRY;
            }
            retryLater("the engine stopped: " + e.failure());
        } else if (e == null && (failure == null || System.nanoTime() - retryAt >= 0)) {
            startIfSlotUsable(Duration.ofMillis(settings.checkInterval().toMillis() / 2));
        }
    }

    /**
     * Without a working lock session this replica cannot know it is still the only one: a standby may hold the
     * lock already. Fence at once, stop the engine within the bound, or end the process.
     */
    private void stepDown(String why) {
        Log.warnf("leadership: relay %s is now STANDBY for %s: %s; stopping its engine", instanceId, source.describe(), why);
        role = Role.STANDBY;
        detail = "waiting: lost the lock (" + why + ")";
        failure = null;
        backoff = FIRST_RETRY;
        dropLockConnection();
        Engine e = engine;
        engine = null;
        if (e == null) {
            return;
        }
        e.fence();
        stopWithin(e, settings.stopTimeout());
    }

    private void stopWithin(Engine e, Duration bound) {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(e::close, r -> {
            Thread t = new Thread(r, "relay-stop-" + source.name());
            t.setDaemon(true);
            t.start();
        });
        try {
            stopped.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException timeout) {
            Log.errorf("relay %s could not stop the engine of %s within %s after losing the lock: ending the process",
                    instanceId, source.describe(), bound);
            halt.run();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            halt.run();
        } catch (java.util.concurrent.ExecutionException failed) {
            Log.warnf(failed.getCause(), "stopping the engine of %s", source.describe());
        }
    }

    private Connection lockConnection() throws SQLException {
        if (lock == null) {
            int timeout = timeoutSeconds();
            Properties p = new Properties();
            // a half-open connection must fail a check, not hang it: keepalive plus a read timeout. No statement
            // timeout: its cancel request travels a new connection over the same dead link and delays the failure
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("socketTimeout", Integer.toString(timeout));
            p.setProperty("cancelSignalTimeout", Integer.toString(timeout));
            p.setProperty("connectTimeout", Integer.toString(timeout));
            p.setProperty("loginTimeout", Integer.toString(timeout));
            // who holds the lock, as pg_stat_activity shows it to an operator and to the other replica
            String name = "outbox-relay " + instanceId;
            p.setProperty("ApplicationName", name.length() > 63 ? name.substring(0, 63) : name);
            lock = source.connect(p);
        }
        return lock;
    }

    private void dropLockConnection() {
        Connection c = lock;
        lock = null;
        if (c != null) {
            try {
                // closing the session releases its advisory locks at once
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.timeout().toSeconds());
    }

    private String holder(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid = CAST(? AS bigint)::oid AND l.objid = CAST(? AS bigint)::oid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            q.setLong(1, key >>> 32);
            q.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return "another session (just released)";
                }
                String app = rs.getString(1);
                return (app == null || app.isEmpty() ? "another session" : app)
                        + (rs.getString(2) == null ? "" : " at " + rs.getString(2));
            }
        }
    }

    /** The backend pid that reads the slot now, or null when it is free. */
    private Integer slotReader(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, source.slot());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? (Integer) rs.getObject(1) : null;
            }
        }
    }

    /**
     * A relay never creates the slot: one created now would start after events already committed, and they
     * would be skipped silently. The services' migrations create it; if it is gone, that is an error.
     */
    static void checkSlot(Connection c, Source source) throws SQLException {
        try (PreparedStatement slot = c.prepareStatement(
                "SELECT plugin, database, wal_status FROM pg_replication_slots WHERE slot_name = ?");
             PreparedStatement pub = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            slot.setString(1, source.slot());
            try (ResultSet rs = slot.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("replication slot " + source.slot() + " does not exist for "
                            + source.describe() + ": events committed since it was lost cannot be recovered from the WAL; "
                            + "recreate it only after deciding how to replay what was missed (the service migrations create it)");
                }
                if (!"pgoutput".equals(rs.getString(1)) || !source.database().equals(rs.getString(2))) {
                    throw new IllegalStateException("replication slot " + source.slot() + " belongs to database "
                            + rs.getString(2) + " with plugin " + rs.getString(1) + ", not to " + source.describe());
                }
                if ("lost".equals(rs.getString(3))) {
                    // max_slot_wal_keep_size: the server removed WAL the slot still needed rather than fill its disk
                    throw new IllegalStateException("replication slot " + source.slot() + " of " + source.describe()
                            + " was invalidated (wal_status lost: it fell further behind than max_slot_wal_keep_size): "
                            + "events in the removed WAL cannot be relayed; drop and recreate the slot only after deciding "
                            + "how to replay what was missed");
                }
            }
            pub.setString(1, source.publication());
            try (ResultSet rs = pub.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("publication " + source.publication() + " does not exist for " + source.describe());
                }
            }
        }
    }

    /** Graceful: the engine stops (offsets flushed) before the lock goes, so a standby resumes where it ended. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Engine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
        if (role == Role.ACTIVE) {
            Log.infof("leadership: relay %s releases %s (shutting down)", instanceId, source.describe());
        }
        role = Role.STANDBY;
        dropLockConnection();
    }
}
