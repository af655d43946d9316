package dev.ordersaga.system;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Prometheus;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TopicReader;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two relays on the same sources, orders flowing, the active relay SIGKILLed: the standby streams within 10 s
 * from the stored offsets, every committed outbox event reaches Kafka in key order, every order ends.
 */
class RelayFailoverIT {

    private static final List<String> SOURCES = List.of("orders", "inventory", "coupons");
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(10);
    /** Orders per second while the relay is killed: steady traffic, well below what the box sustains. */
    private static final int RATE = 10;

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String coupons = system.url(Service.COUPON_APP);

    @Test
    void theStandbyTakesOverWithinTenSecondsOfASigkillAndNothingIsLost() throws Exception {
        AppProcess active = system.relay();
        try (OutboxAudit audit = new OutboxAudit(system.stack, SOURCES)) {
            AppProcess standby = system.startRelayReplica();
            for (String source : SOURCES) {
                assertRole(active, source, "active");
                assertRole(standby, source, "standby");
            }
            assertThat(metric(standby, "relay_leader", "orders")).isZero();

            String sku = "SKU-" + UUID.randomUUID();
            given().contentType(ContentType.JSON).body("{\"available\": 1000000}").put(inventory + "/stock/" + sku)
                    .then().statusCode(201);
            List<String> placed = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> placeOrders(sku, placed, stop));

            // the saga runs through the first relay
            await().atMost(Duration.ofSeconds(60)).until(() -> loadAlive(load) && placed.size() >= 20 && terminal(placed.get(10)));

            long killedAt = System.nanoTime();
            active.kill();
            Map<String, Double> leaderAfter = new LinkedHashMap<>();
            Map<String, Double> firstPublishAfter = new LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String metrics = given().get(standby.url() + "/q/metrics").then().extract().asString();
                double since = (System.nanoTime() - killedAt) / 1e9;
                for (String s : SOURCES) {
                    if (Prometheus.sum(metrics, "relay_leader", "source=\"" + s + "\"") == 1.0) {
                        leaderAfter.putIfAbsent(s, since);
                    }
                    if (Prometheus.sum(metrics, "relay_events_relayed_total", "source=\"" + s + "\"") > 0) {
                        firstPublishAfter.putIfAbsent(s, since);
                    }
                }
                return firstPublishAfter.size() == SOURCES.size();
            });
            system.relayReplacedBy(standby);
            int placedAtTakeover = placed.size();

            // more orders through the new leader, then every order must end
            await().atMost(Duration.ofSeconds(60)).until(() -> loadAlive(load) && placed.size() >= placedAtTakeover + 20);
            stop.set(true);
            load.get();
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            for (String id : List.copyOf(placed)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> terminal(id));
                byStatus.merge(status(id), 1, Integer::sum);
            }
            assertThat(byStatus).containsOnlyKeys("CONFIRMED");

            // every outbox row committed during the test reached its topic, first deliveries in commit order per key
            List<OutboxAudit.Row> committed = audit.committed();
            Map<String, List<OutboxAudit.Row>> byTopic = new LinkedHashMap<>();
            committed.forEach(r -> byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
            assertThat(byTopic).containsOnlyKeys("orders.events", "inventory.events", "coupons.events");
            int delivered = 0;
            int duplicates = 0;
            for (Map.Entry<String, List<OutboxAudit.Row>> e : byTopic.entrySet()) {
                Set<String> expected = new HashSet<>();
                e.getValue().forEach(r -> expected.add(r.id()));
                try (TopicReader reader = new TopicReader(system.stack.bootstrapServers(), e.getKey())) {
                    List<ConsumerRecord<String, String>> mine = reader.until(r -> ids(r, expected).containsAll(expected),
                            Duration.ofSeconds(60)).stream().filter(r -> expected.contains(TopicReader.header(r, "id"))).toList();
                    delivered += mine.size();
                    duplicates += mine.size() - expected.size();
                    assertKeyOrder(e.getKey(), e.getValue(), mine);
                }
            }

            double takeover = Collections.max(leaderAfter.values());
            String report = String.format("relay failover test (SIGKILL of the active relay, %d orders/s flowing):%n"
                            + "  take-over time, kill to standby active (relay_leader=1): %s%n"
                            + "  kill to the standby's first event acknowledged by Kafka: %s%n"
                            + "  %d orders placed, all %s; %d outbox events committed during the test, all delivered;"
                            + " %d deliveries, %d duplicates%n",
                    RATE, seconds(leaderAfter), seconds(firstPublishAfter), placed.size(), byStatus.keySet(),
                    committed.size(), delivered, duplicates);
            System.out.print(report);
            Files.createDirectories(RunningSystem.logs().getParent());
            Files.writeString(RunningSystem.logs().getParent().resolve("relay-failover-report.txt"), report);

            assertThat(takeover).as("seconds from the kill until the standby leads every source").isLessThanOrEqualTo(TAKEOVER_BOUND.toSeconds());
            assertThat(firstPublishAfter.get("orders")).as("seconds from the kill until the standby published an order event")
                    .isLessThanOrEqualTo(TAKEOVER_BOUND.toSeconds());
        }
    }

    /** Paced, not waiting on Kafka: one order every 1/RATE s, every other one with a coupon of its own. */
    private void placeOrders(String sku, List<String> placed, AtomicBoolean stop) {
        long next = System.nanoTime();
        for (int i = 0; !stop.get(); i++) {
            String coupon = null;
            if (i % 2 == 0) {
                coupon = "C-" + UUID.randomUUID();
                given().contentType(ContentType.JSON).body("{\"code\": \"" + coupon + "\", \"discountPercent\": 5}")
                        .post(coupons + "/coupons").then().statusCode(201);
            }
            String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": 1}]"
                    + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
            placed.add(given().contentType(ContentType.JSON).body(body).post(orders + "/orders")
                    .then().statusCode(202).extract().path("id"));
            next += 1_000_000_000L / RATE;
            long pause = next - System.nanoTime();
            if (pause > 0) {
                try {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A failed request ends the load: report its error instead of waiting for orders that never come. */
    private static boolean loadAlive(CompletableFuture<Void> load) {
        if (load.isCompletedExceptionally()) {
            load.join();
        }
        return true;
    }

    /** Per key, the first delivery of each event comes in commit order; replays only repeat earlier ones. */
    private static void assertKeyOrder(String topic, List<OutboxAudit.Row> committed, List<ConsumerRecord<String, String>> delivered) {
        Map<String, List<String>> expected = new HashMap<>();
        committed.forEach(r -> expected.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.id()));
        Map<String, List<String>> firsts = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : delivered) {
            String id = TopicReader.header(r, "id");
            if (seen.add(id)) {
                firsts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(id);
            }
        }
        assertThat(firsts).as("first deliveries per key on %s", topic).isEqualTo(expected);
    }

    private static Set<String> ids(List<ConsumerRecord<String, String>> records, Set<String> of) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            String id = TopicReader.header(r, "id");
            if (of.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static void assertRole(AppProcess relay, String source, String role) {
        given().get(relay.url() + "/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'outbox engines streaming' }.data." + source, equalTo(role));
    }

    private static double metric(AppProcess relay, String name, String source) {
        return Prometheus.sum(given().get(relay.url() + "/q/metrics").then().extract().asString(), name,
                "source=\"" + source + "\"");
    }

    private boolean terminal(String orderId) {
        return !"PENDING".equals(status(orderId));
    }

    private String status(String orderId) {
        return given().get(orders + "/orders/" + orderId).then().statusCode(200).extract().path("status");
    }

    private static String seconds(Map<String, Double> bySource) {
        StringBuilder b = new StringBuilder();
        bySource.forEach((s, v) -> b.append(b.length() == 0 ? "" : ", ").append(s).append(String.format(" %.2f s", v)));
        return b.toString();
    }
}
