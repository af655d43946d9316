package dev.ordersaga.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replication slot lag per source: bytes of WAL written since the slot's confirmed position (what is not yet
 * relayed) and since its restart position (what the server must keep on disk for it).
 */
@ApplicationScoped
public class SlotMonitor {

    private final Relay relay;
    private final MeterRegistry metrics;
    private final Map<String, AtomicLong[]> lag = new ConcurrentHashMap<>();

    public SlotMonitor(Relay relay, MeterRegistry metrics) {
        this.relay = relay;
        this.metrics = metrics;
    }

    @Scheduled(every = "${slot-monitor.interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        // a standby samples too: either replica shows the lag, whichever one is asked
        for (SourceLeader leader : relay.leaders()) {
            Source s = leader.source();
            AtomicLong[] values = lag.computeIfAbsent(s.name(), this::register);
            try (Connection c = s.connect();
                 PreparedStatement q = c.prepareStatement("""
                         SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn),
                                pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)
                         FROM pg_replication_slots WHERE slot_name = ?""")) {
                q.setString(1, s.slot());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        values[0].set(rs.getLong(1));
                        values[1].set(rs.getLong(2));
                    } else {
                        values[0].set(-1);
                        values[1].set(-1);
                        Log.errorf("replication slot %s is missing for %s", s.slot(), s.describe());
                    }
                }
            } catch (SQLException e) {
                Log.warnf("cannot read the slot lag of %s: %s", s.describe(), e.getMessage());
            }
        }
    }

    private AtomicLong[] register(String source) {
        AtomicLong confirmed = new AtomicLong();
        AtomicLong retained = new AtomicLong();
        Gauge.builder("relay.slot.lag.bytes", confirmed, AtomicLong::get)
                .description("WAL bytes written since the slot's confirmed flush position (-1: slot missing)")
                .tag("source", source).register(metrics);
        Gauge.builder("relay.slot.retained.bytes", retained, AtomicLong::get)
                .description("WAL bytes the server keeps for the slot (since its restart position)")
                .tag("source", source).register(metrics);
        return new AtomicLong[] {confirmed, retained};
    }
}
