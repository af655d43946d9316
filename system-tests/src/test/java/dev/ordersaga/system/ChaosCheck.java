package dev.ordersaga.system;

import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TopicReader;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the chaos suite promises after each scenario, checked against the databases and the topics themselves:
 * every accepted order terminal within 60 s of the last fault; stock available = initial minus what confirmed and
 * paid orders hold, nothing held for a cancelled order; each coupon held by at most one live order, the rest
 * available; every committed outbox event on Kafka (the audit slots are the ground truth); nothing parked.
 */
final class ChaosCheck {

    static final Duration TERMINAL_WITHIN = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL_EVENTS = Set.of("OrderConfirmed", "OrderCancelled");

    /** One scenario's figures, as report.json has them. */
    record Result(String scenario, String description, int orders, int confirmed, int cancelled, int events,
                  int duplicatesDelivered, int duplicatesApplied, int lost, int stuck, double secondsToTerminal,
                  long terminalP50Ms, long terminalP99Ms, int clientRetries, double parked, List<String> failures) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private final RunningSystem system;
    private final StackEndpoints stack;

    ChaosCheck(RunningSystem system) {
        this.system = system;
        this.stack = system.stack;
    }

    /** Events parked so far by the consumers: records on their dead-letter topics (which survive restarts). */
    double parked() throws Exception {
        try (KafkaOffsets offsets = new KafkaOffsets(stack.bootstrapServers())) {
            return offsets.ends(offsets.partitions(t -> t.endsWith(".dlq")), OffsetSpec.latest()).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    Result verify(String scenario, String description, ChaosLoad load, OutboxAudit audit, Instant lastFault,
                  double parkedBefore, double expectParked) throws Exception {
        List<String> failures = new ArrayList<>();
        if (load.refused.get() > 0) {
            failures.add(load.refused.get() + " orders refused or never answered");
        }
        Map<String, ChaosLoad.Placed> byId = new HashMap<>();
        load.placed.forEach(p -> byId.put(p.id(), p));
        if (byId.isEmpty()) {
            failures.add("no order was accepted");
        }

        // 1. every order terminal
        Instant deadline = lastFault.plus(TERMINAL_WITHIN);
        until(deadline, Duration.ofMillis(250), () -> !statuses(byId.keySet()).containsValue("PENDING"));
        Map<String, String> status = statuses(byId.keySet());
        int stuck = (int) status.values().stream().filter("PENDING"::equals).count();
        double secondsToTerminal = Math.max(0, Duration.between(lastFault, Instant.now()).toMillis() / 1000.0);
        if (stuck > 0) {
            failures.add(stuck + " orders not terminal " + TERMINAL_WITHIN.toSeconds() + " s after the last fault");
        }
        if (status.size() != byId.size()) {
            failures.add((byId.size() - status.size()) + " accepted orders missing from the orders database");
        }

        // 2. stock and coupons settle once compensation has run: wait for them with the same bound
        until(deadline.plusSeconds(30), Duration.ofMillis(500), () -> holdings(load, byId, status, new int[1]).isEmpty());
        int[] overApplied = {0};
        failures.addAll(holdings(load, byId, status, overApplied));

        // 3. every committed outbox event reached Kafka
        List<OutboxAudit.Row> committed = audit.committed();
        Map<String, Long> terminalAt = new HashMap<>();
        // what the scenario committed was sent after its audit began (a margin for the relay's clock, the same box's)
        Map<String, Integer> deliveries = deliveries(committed, audit.started.minusSeconds(5), terminalAt);
        int lost = (int) committed.stream().filter(r -> !deliveries.containsKey(r.id())).count();
        int duplicatesDelivered = deliveries.values().stream().mapToInt(n -> n - 1).sum();
        if (lost > 0) {
            failures.add(lost + " committed outbox events never reached Kafka");
        }

        double parkedNow = parked() - parkedBefore;
        if (parkedNow != expectParked) {
            failures.add((int) parkedNow + " events parked by the consumers, " + expectParked + " expected");
        }
        // placement (placed_at) to the order's terminal event on Kafka (its record time, set by the relay)
        Map<String, Long> placedAt = placedAt(byId.keySet());
        long[] latencies = terminalAt.entrySet().stream().filter(e -> placedAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, e.getValue() - placedAt.get(e.getKey()))).sorted().toArray();
        int confirmed = (int) status.values().stream().filter(s -> s.equals("CONFIRMED") || s.equals("PAID")).count();
        int cancelled = (int) status.values().stream().filter("CANCELLED"::equals).count();
        return new Result(scenario, description, byId.size(), confirmed, cancelled, committed.size(), duplicatesDelivered,
                overApplied[0], lost, stuck, stuck > 0 ? -1 : secondsToTerminal, percentile(latencies, 50),
                percentile(latencies, 99), load.retries.get(), parkedNow, failures);
    }

    /** Waits for {@code done} until {@code deadline} at the latest; whether it came true is for the caller to check. */
    private static void until(Instant deadline, Duration poll, java.util.concurrent.Callable<Boolean> done) {
        Duration left = Duration.between(Instant.now(), deadline);
        try {
            org.awaitility.Awaitility.await().atMost(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                    .pollDelay(Duration.ZERO).pollInterval(poll).until(done);
        } catch (org.awaitility.core.ConditionTimeoutException late) {
            // the caller counts what is still wrong
        }
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private Map<String, Long> placedAt(Set<String> ids) throws SQLException {
        Map<String, Long> at = new HashMap<>();
        try (Connection c = stack.connect(Service.ORDER_APP.database);
             PreparedStatement q = c.prepareStatement("SELECT id::text, placed_at FROM orders WHERE id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    at.put(rs.getString(1), rs.getTimestamp(2).getTime());
                }
            }
        }
        return at;
    }

    /** Every order of the load terminal, and stock and coupons as the statuses say. */
    boolean settled(ChaosLoad load) throws SQLException {
        Map<String, ChaosLoad.Placed> byId = new HashMap<>();
        load.placed.forEach(p -> byId.put(p.id(), p));
        Map<String, String> status = statuses(byId.keySet());
        return !status.containsValue("PENDING") && holdings(load, byId, status, new int[1]).isEmpty();
    }

    /** The rows the load touched, with their versions: a replay that applies anything again changes one of them. */
    Map<String, String> snapshot(ChaosLoad load) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        List<String> ids = load.placed.stream().map(ChaosLoad.Placed::id).toList();
        rows.putAll(query(Service.ORDER_APP.database, "SELECT 'order ' || id, status || ' v' || version FROM orders WHERE id = ANY(?)",
                "uuid", ids));
        rows.putAll(query(Service.INVENTORY_APP.database, "SELECT 'stock ' || sku, available || '/' || reserved || '/' || sold || ' v' || version "
                + "FROM stock WHERE sku = ANY(?)", "varchar", List.copyOf(load.initialStock.keySet())));
        rows.putAll(query(Service.INVENTORY_APP.database, "SELECT 'reservation ' || id, released || '/' || sold || ' v' || version "
                + "FROM reservation WHERE order_id = ANY(?)", "varchar", ids));
        rows.putAll(query(Service.COUPON_APP.database, "SELECT 'coupon ' || code, status || ' ' || coalesce(order_id, '-') || ' v' || version "
                + "FROM coupon WHERE code = ANY(?)", "varchar", load.coupons));
        return rows;
    }

    private Map<String, String> query(String database, String sql, String arrayType, List<String> values) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = stack.connect(database); PreparedStatement q = c.prepareStatement(sql)) {
            q.setArray(1, c.createArrayOf(arrayType, values.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return rows;
    }

    private Map<String, String> statuses(Set<String> ids) throws SQLException {
        Map<String, String> status = new HashMap<>();
        try (Connection c = stack.connect(Service.ORDER_APP.database);
             PreparedStatement q = c.prepareStatement("SELECT id::text, status FROM orders WHERE id = ANY(?)")) {
            Array array = c.createArrayOf("uuid", ids.toArray());
            q.setArray(1, array);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return status;
    }

    /** What is wrong with stock and coupons now, given the orders' final statuses; empty when all holds. */
    private List<String> holdings(ChaosLoad load, Map<String, ChaosLoad.Placed> byId, Map<String, String> status,
                                  int[] overApplied) throws SQLException {
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> sold = new HashMap<>();
        // what orders not (yet) cancelled may hold at most: more than that is an event applied twice
        Map<String, Integer> mayHold = new HashMap<>();
        Map<String, List<String>> couponHolders = new HashMap<>();
        List<String> cancelled = new ArrayList<>();
        for (ChaosLoad.Placed p : byId.values()) {
            String s = status.get(p.id());
            if (!"CANCELLED".equals(s)) {
                mayHold.merge(p.sku(), p.quantity(), Integer::sum);
            }
            if ("CONFIRMED".equals(s)) {
                held.merge(p.sku(), p.quantity(), Integer::sum);
            } else if ("PAID".equals(s)) {
                sold.merge(p.sku(), p.quantity(), Integer::sum);
            } else if ("CANCELLED".equals(s)) {
                cancelled.add(p.id());
            }
            if (p.coupon() != null && ("CONFIRMED".equals(s) || "PAID".equals(s))) {
                couponHolders.computeIfAbsent(p.coupon(), k -> new ArrayList<>()).add(p.id());
            }
        }
        try (Connection c = stack.connect(Service.INVENTORY_APP.database)) {
            try (PreparedStatement q = c.prepareStatement("SELECT sku, available, reserved, sold FROM stock WHERE sku = ANY(?)")) {
                q.setArray(1, c.createArrayOf("varchar", load.initialStock.keySet().toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String sku = rs.getString(1);
                        int initial = load.initialStock.get(sku);
                        int wantReserved = held.getOrDefault(sku, 0);
                        int wantSold = sold.getOrDefault(sku, 0);
                        int available = rs.getInt(2);
                        int reserved = rs.getInt(3);
                        int soldNow = rs.getInt(4);
                        if (available != initial - wantReserved - wantSold || reserved != wantReserved || soldNow != wantSold) {
                            wrong.add("stock " + sku + ": available " + available + ", reserved " + reserved + ", sold " + soldNow
                                    + "; expected " + (initial - wantReserved - wantSold) + ", " + wantReserved + ", " + wantSold);
                            overApplied[0] += Math.max(0, reserved + soldNow - mayHold.getOrDefault(sku, 0));
                        }
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT count(*) FROM reservation WHERE order_id = ANY(?) AND NOT released")) {
                q.setArray(1, c.createArrayOf("varchar", cancelled.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        wrong.add(rs.getInt(1) + " reservations of cancelled orders still held");
                    }
                }
            }
        }
        try (Connection c = stack.connect(Service.COUPON_APP.database);
             PreparedStatement q = c.prepareStatement("SELECT code, status, order_id FROM coupon WHERE code = ANY(?)")) {
            q.setArray(1, c.createArrayOf("varchar", load.coupons.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String code = rs.getString(1);
                    List<String> holders = couponHolders.getOrDefault(code, List.of());
                    String couponStatus = rs.getString(2);
                    if (holders.size() > 1) {
                        wrong.add("coupon " + code + " used by " + holders.size() + " live orders: " + holders);
                        overApplied[0] += holders.size() - 1;
                    } else if (holders.isEmpty() && !"AVAILABLE".equals(couponStatus)) {
                        wrong.add("coupon " + code + " is " + couponStatus + " for " + rs.getString(3) + " but no live order holds it");
                    } else if (holders.size() == 1 && (!holders.get(0).equals(rs.getString(3))
                            || !List.of("LOCKED", "REDEEMED").contains(couponStatus))) {
                        wrong.add("coupon " + code + " is " + couponStatus + " for " + rs.getString(3) + ", expected held by " + holders.get(0));
                    }
                }
            }
        }
        return wrong;
    }

    /** Per audited event id, how many times it is on its topic (read from {@code from}, with a deadline). */
    private Map<String, Integer> deliveries(List<OutboxAudit.Row> committed, Instant from, Map<String, Long> terminalAt) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Set<String>> idsByTopic = new HashMap<>();
        committed.forEach(r -> idsByTopic.computeIfAbsent(r.topic(), t -> new HashSet<>()).add(r.id()));
        for (Map.Entry<String, Set<String>> e : idsByTopic.entrySet()) {
            Set<String> wanted = e.getValue();
            try (TopicReader reader = new TopicReader(stack.bootstrapServers(), e.getKey(), from)) {
                Set<String> seen = new HashSet<>();
                int[] scanned = {0};
                try {
                    reader.until(records -> {
                        // only what arrived since the last poll
                        for (; scanned[0] < records.size(); scanned[0]++) {
                            String id = TopicReader.header(records.get(scanned[0]), "id");
                            if (wanted.contains(id)) {
                                seen.add(id);
                            }
                        }
                        return seen.size() == wanted.size();
                    }, Duration.ofSeconds(60));
                } catch (AssertionError notAll) {
                    // counted as lost below
                }
                for (ConsumerRecord<String, String> r : reader.records()) {
                    String id = TopicReader.header(r, "id");
                    if (wanted.contains(id)) {
                        count.merge(id, 1, Integer::sum);
                        if (TERMINAL_EVENTS.contains(TopicReader.header(r, "eventType"))) {
                            terminalAt.merge(r.key(), r.timestamp(), Math::min);
                        }
                    }
                }
            }
        }
        return count;
    }
}
