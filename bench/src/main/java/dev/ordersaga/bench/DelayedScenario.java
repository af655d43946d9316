package dev.ordersaga.bench;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 4: delayed events (the outbox's {@code schedule}). One order-app process fires them. With 1,000,000 events
 * pending far ahead, its idle CPU with the poller on and off; then 1,000 events due per second for 60 s (written
 * ahead, as another instance would), and each one's lateness: due time -> the outbox row's write in the firing
 * transaction (its commit follows within a few milliseconds). Rows are kept in the outbox for the measurement
 * ({@code outbox.delete-after-insert=false}); everything this writes is deleted at the end.
 */
final class DelayedScenario {

    private static final String PENDING = "bench-pending";
    private static final String DUE = "bench-due";

    private final StackEndpoints stack;
    private final Path logs;
    private final Bench.Profile profile;

    DelayedScenario(StackEndpoints stack, Path out, Bench.Profile profile) {
        this.stack = stack;
        this.logs = out.resolve("logs");
        this.profile = profile;
    }

    void run(Map<String, Object> results, Map<String, Object> notes) throws Exception {
        int pending = 1_000_000;
        int ratePerS = 1_000;
        int seconds = 60;
        Map<String, Object> idle = new LinkedHashMap<>();
        try (Connection c = stack.connect("orders")) {
            // the first start migrates the schema; the poller is off for the idle baseline
            try (AppProcess app = Bench.start(Service.ORDER_APP, stack, Map.of("OUTBOX_DELAYED_ENABLED", "false"), logs)) {
                cleanUp(c);
                long t = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO outbox_delayed (id, aggregatetype, aggregateid, type, payload, deliver_at, created_at) "
                            + "SELECT gen_random_uuid(), '" + PENDING + "', 'b-' || g, 'BenchTick', '{}'::jsonb, "
                            + "now() + interval '30 days' + g * interval '1 second', now() FROM generate_series(1, " + pending + ") g");
                    s.execute("ANALYZE outbox_delayed");
                }
                System.out.printf("bench: delayed: %d pending events written in %.1f s%n", pending, (System.nanoTime() - t) / 1e9);
                idle.put("scheduler_off_percent_of_a_core", idleCpu(app));
            }
            try (AppProcess app = Bench.start(Service.ORDER_APP, stack, Map.of("OUTBOX_DELETE_AFTER_INSERT", "false",
                    // the orders placed below must not fire their deadlines during the measurements
                    "ORDER_SAGA_DEADLINE", "1h"), logs)) {
                idle.put("scheduler_on_percent_of_a_core", idleCpu(app));
                results.put("delayed_pending", count(c, "SELECT count(*) FROM outbox_delayed WHERE aggregatetype = '" + PENDING + "'"));

                Instant start = Instant.now().plusSeconds(5);
                try (PreparedStatement due = c.prepareStatement("INSERT INTO outbox_delayed "
                        + "(id, aggregatetype, aggregateid, type, payload, deliver_at, created_at) "
                        + "SELECT gen_random_uuid(), '" + DUE + "', 'd-' || g, 'BenchTick', "
                        + "jsonb_build_object('dueAt', ?::timestamptz + g * (interval '1 second' / " + ratePerS + ")), "
                        + "?::timestamptz + g * (interval '1 second' / " + ratePerS + "), now() FROM generate_series(0, ?) g")) {
                    due.setTimestamp(1, Timestamp.from(start));
                    due.setTimestamp(2, Timestamp.from(start));
                    due.setInt(3, ratePerS * seconds - 1);
                    due.executeUpdate();
                }
                long cpuBefore = ProcStats.cpuMillis(app.process().pid());
                Duration untilLastDue = Duration.between(Instant.now(), start.plusSeconds(seconds));
                try {
                    org.awaitility.Awaitility.await().atMost(untilLastDue.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> count(c, "SELECT count(*) FROM outbox_delayed WHERE aggregatetype = '" + DUE + "'") == 0);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    notes.put("delayed", "not every due event fired within 60 s of the last due time");
                }
                long cpuMs = ProcStats.cpuMillis(app.process().pid()) - cpuBefore;

                Latencies lateness = new Latencies();
                long early = 0;
                Instant first = null;
                Instant last = null;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT created_at, (payload->>'dueAt')::timestamptz FROM outbox WHERE aggregatetype = '" + DUE + "'")) {
                    while (rs.next()) {
                        Instant at = rs.getTimestamp(1).toInstant();
                        Instant dueAt = rs.getTimestamp(2).toInstant();
                        long nanos = Duration.between(dueAt, at).toNanos();
                        if (nanos < 0) {
                            early++;
                        }
                        lateness.record(nanos);
                        first = first == null || at.isBefore(first) ? at : first;
                        last = last == null || at.isAfter(last) ? at : last;
                    }
                }
                long fired = lateness.micros.getTotalCount();
                results.put("delayed_fired", fired);
                results.put("delayed_fired_early", early);
                results.put("delayed_fire_rate_per_s", first == null ? 0
                        : Math.round(fired / Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0)));
                results.put("delayed_lateness_ms", lateness.summary());
                results.put("delayed_order_app_cpu_ms_per_1000_fired", fired == 0 ? 0 : Math.round(cpuMs * 1000.0 / fired));
                results.put("delayed_idle_cpu", idle);

                // the service's normal work beside the million: POST /orders, which schedules a deadline in that table
                Map<String, Object> placing = new LinkedHashMap<>();
                placeOrders(app.url()); // warm-up of the request path
                placing.put("with_1m_pending", placeOrders(app.url()).summary());
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM outbox_delayed WHERE aggregatetype = '" + PENDING + "'");
                    s.execute("VACUUM ANALYZE outbox_delayed");
                }
                placing.put("with_none_pending", placeOrders(app.url()).summary());
                results.put("delayed_post_orders_ms_at_50_per_s", placing);
                System.out.printf("bench: delayed: POST /orders at 50/s %s%n", placing);
                System.out.printf("bench: delayed: %d fired at %s/s, lateness %s, idle %s%n", fired,
                        results.get("delayed_fire_rate_per_s"), lateness.summary(), idle);
            } finally {
                cleanUp(c);
            }
        }
    }

    /** POST /orders at 50 per second for 15 s, open loop; the response times. */
    private Latencies placeOrders(String url) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/orders"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + stack.tokens().mint("bench", "customer"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"customerId\": \"bench\", \"items\": [{\"sku\": \"BENCH-DELAYED\", \"quantity\": 1}]}"))
                .build();
        Latencies latencies = new Latencies();
        java.util.List<java.util.concurrent.CompletableFuture<?>> inFlight = new java.util.ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 50 * 15; i++) {
            long at = start + i * 20_000_000L;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long sent = System.nanoTime();
            inFlight.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> latencies.record(System.nanoTime() - sent)));
        }
        java.util.concurrent.CompletableFuture.allOf(inFlight.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        return latencies;
    }

    /**
     * The order-app process's CPU over the profile's idle window, as a percentage of one core, once the start-up work
     * (JIT, Flyway, consumer joins) has settled: the first second that costs under 5 % of a core, within 30 s. The
     * window itself is a measurement interval, not a wait for a state.
     */
    private double idleCpu(AppProcess app) throws InterruptedException {
        long pid = app.process().pid();
        long[] last = {ProcStats.cpuMillis(pid)};
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    long now = ProcStats.cpuMillis(pid);
                    boolean settled = now - last[0] < 50;
                    last[0] = now;
                    return settled;
                });
        long before = ProcStats.cpuMillis(pid);
        long window = profile.idleWindow.toMillis();
        Thread.sleep(window);
        return Math.round((ProcStats.cpuMillis(pid) - before) * 10000.0 / window) / 100.0;
    }

    private static void cleanUp(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM outbox_delayed WHERE aggregatetype IN ('" + PENDING + "', '" + DUE + "')");
            s.executeUpdate("DELETE FROM outbox WHERE aggregatetype IN ('" + PENDING + "', '" + DUE + "')");
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
