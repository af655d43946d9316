package dev.ordersaga.system;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chaos scenario R10: a database whose outbox stays idle while another table of it takes about 1 MB of writes a
 * second, streamed by a relay of its own. The relay's heartbeat must keep the slot moving: the WAL the server
 * retains for the slot stays under 64 MB the whole time.
 */
final class IdleOutboxWatch {

    static final long LIMIT = 64L * 1024 * 1024;

    private final SourceDatabase db;
    private final AppProcess relay;
    private final Duration length;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService tasks = Executors.newScheduledThreadPool(2);
    private final AtomicLong maxRetained = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StackEndpoints stack;

    IdleOutboxWatch(StackEndpoints stack, Duration length) throws Exception {
        this.stack = stack;
        this.length = length;
        this.db = new SourceDatabase(stack, "idle");
        this.relay = RunningSystem.start(Service.OUTBOX_RELAY, stack, Map.of("RELAY_DATABASES", db.name));
        try (Connection c = stack.connect(db.name); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE noise (id bigserial PRIMARY KEY, filler text)");
        }
        tasks.scheduleAtFixedRate(this::writeNoise, 0, 1, TimeUnit.SECONDS);
        tasks.scheduleAtFixedRate(this::sample, 1, 2, TimeUnit.SECONDS);
    }

    private boolean over() {
        return Instant.now().isAfter(started.plus(length));
    }

    /**
     * Another scenario may stop Postgres meanwhile (R5): a write or a sample that cannot connect is counted, not a
     * failure. (The relay then catches up from where it was; the retained WAL is what it is.)
     */
    private void writeNoise() {
        if (over()) {
            return;
        }
        try (Connection c = stack.connect(db.name); Statement s = c.createStatement()) {
            s.execute("INSERT INTO noise (filler) SELECT repeat('x', 1000) FROM generate_series(1, 1000)");
            written.addAndGet(1_000_000);
        } catch (java.sql.SQLException e) {
            unreachable.incrementAndGet();
        }
    }

    private void sample() {
        if (over()) {
            return;
        }
        try (Connection c = stack.connect(db.name); PreparedStatement q = c.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, db.slot);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    maxRetained.accumulateAndGet(rs.getLong(1), Math::max);
                }
            }
        } catch (java.sql.SQLException e) {
            unreachable.incrementAndGet();
        }
    }

    /** Waits out the rest of the ten minutes, stops everything and says whether the slot kept up. */
    ChaosCheck.Result finish() throws Exception {
        Duration left = length.minus(Duration.between(started, Instant.now()));
        if (!left.isNegative()) {
            // the scenario's length, not a wait for an event
            Thread.sleep(left.toMillis());
        }
        tasks.shutdownNow();
        tasks.awaitTermination(10, TimeUnit.SECONDS);
        relay.close();
        db.close();
        List<String> wrong = new ArrayList<>(failures.stream().distinct().limit(5).toList());
        long max = maxRetained.get();
        if (max >= LIMIT) {
            wrong.add("the idle slot retained " + max / (1024 * 1024) + " MB of WAL, over 64 MB");
        }
        return new ChaosCheck.Result("R10", String.format("an idle outbox beside a busy table for %d min (%d MB written%s): the "
                        + "slot retained at most %.1f MB of WAL (limit 64 MB)", length.toMinutes(), written.get() / 1_000_000,
                unreachable.get() == 0 ? "" : ", Postgres unreachable for " + unreachable.get() + " writes and samples",
                max / (1024.0 * 1024)), 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, wrong);
    }
}
