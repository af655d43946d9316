package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.relay.connector.QuietPostgresConnector;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(OutboxSources.class)
class RelayTest {

    @ConfigProperty(name = "test.source.database")
    String database;

    private final ObjectMapper json = new ObjectMapper();

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void committedRowsArriveAsWrittenAndRolledBackRowsNever() throws Exception {
        String aggregateType = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String orderA = UUID.randomUUID().toString();
        String orderB = UUID.randomUUID().toString();
        UUID first;
        UUID second;
        UUID third;
        UUID sentinel;
        try (OutboxRows rows = new OutboxRows(database)) {
            first = rows.add(aggregateType, orderA, "OrderPlaced", "{\"version\": 1, \"orderId\": \"" + orderA + "\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 2}]}");
            second = rows.add(aggregateType, orderB, "OrderPlaced", "{\"version\": 1, \"orderId\": \"" + orderB + "\", \"note\": \"caf\u00e9 \\\"quoted\\\"\"}");
            third = rows.add(aggregateType, orderA, "OrderConfirmed", "{\"version\": 1, \"orderId\": \"" + orderA + "\"}",
                    TRACEPARENT);
            rows.commit();

            rows.add(aggregateType, orderA, "OrderCancelled", "{\"rolledBack\": true}");
            rows.rollback();

            sentinel = rows.add(aggregateType, "sentinel", "Sentinel", "{}");
            rows.commit();
        }

        try (TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events")) {
            List<ConsumerRecord<String, String>> seen = reader.until(
                    r -> r.stream().anyMatch(c -> "sentinel".equals(c.key())), Duration.ofSeconds(60));

            assertThat(seen).extracting(r -> header(r, "id")).containsExactlyInAnyOrder(
                    first.toString(), second.toString(), third.toString(), sentinel.toString());
            assertThat(seen).noneMatch(r -> r.value().contains("rolledBack"));

            List<ConsumerRecord<String, String>> a = seen.stream().filter(r -> orderA.equals(r.key())).toList();
            assertThat(a).extracting(r -> header(r, "eventType")).containsExactly("OrderPlaced", "OrderConfirmed");
            assertThat(a.get(0).partition()).isEqualTo(a.get(1).partition());
            // the column as written; a row without one has the header with a null value (as Kafka Connect's)
            assertThat(header(a.get(1), "traceparent")).isEqualTo(TRACEPARENT);
            assertThat(a.get(0).headers().lastHeader("traceparent")).isNotNull()
                    .satisfies(h -> assertThat(h.value()).isNull());

            ConsumerRecord<String, String> b = seen.stream().filter(r -> orderB.equals(r.key())).findFirst().orElseThrow();
            assertThat(json.readTree(b.value())).isEqualTo(json.readTree(
                    "{\"version\": 1, \"orderId\": \"" + orderB + "\", \"note\": \"caf\u00e9 \\\"quoted\\\"\"}"));
            assertThat(json.readTree(b.value()).isObject()).as("payload is an object, not a JSON string").isTrue();

            for (ConsumerRecord<String, String> r : seen) {
                assertThat(r.headers().toArray()).extracting(Header::key).doesNotContain("__debezium.context.connectorName")
                        .allMatch(k -> !k.startsWith("__debezium"));
            }
        }
    }

    /**
     * The streaming loop's pause waits on the replication socket and an idle poll waits for the next enqueue
     * (QuietPostgresConnector): an event written after a quiet spell still goes out at once.
     */
    @Test
    void anIdleRelayWaitsOnTheSocketAndStillRelaysAtOnce() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> QuietPostgresConnector.socketWaits() > 0);
        long waits = QuietPostgresConnector.socketWaits();
        // a quiet spell longer than QuietPostgresConnector.IDLE_AFTER, so the next poll waits for an enqueue
        Thread.sleep(QuietPostgresConnector.IDLE_AFTER.toMillis() + 500);
        String aggregateType = "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        UUID id;
        long committed;
        try (OutboxRows rows = new OutboxRows(database)) {
            id = rows.add(aggregateType, "quiet", "Sentinel", "{}");
            rows.commit();
            committed = System.nanoTime();
        }
        try (TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events")) {
            List<ConsumerRecord<String, String>> seen = reader.until(r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(seen).extracting(r -> header(r, "id")).containsExactly(id.toString());
        }
        // the reader's subscription takes part of it; a pause that slept through data would take seconds
        assertThat(Duration.ofNanos(System.nanoTime() - committed)).isLessThan(Duration.ofSeconds(10));
        assertThat(QuietPostgresConnector.socketWaits()).isGreaterThan(waits);
    }

    @Test
    void anIdleOutboxDoesNotPinWalWhileTheDatabaseIsBusy() throws Exception {
        try (OutboxRows rows = new OutboxRows(database)) {
            rows.execute("CREATE TABLE IF NOT EXISTS noise (id bigserial PRIMARY KEY, filler text)");
            for (int i = 0; i < 20; i++) {
                rows.execute("INSERT INTO noise (filler) SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
            }
            String busyUntil = "(SELECT pg_current_wal_lsn())";
            long written = rows.queryLong("SELECT pg_wal_lsn_diff(" + busyUntil + ", '0/0')");
            assertThat(written).isPositive();
            // the outbox stayed idle; heartbeats (500 ms in tests) must still move the slot past the noise
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    rows.queryLong("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '0/0') FROM pg_replication_slots "
                            + "WHERE slot_name = '" + OutboxSchema.slotName(database) + "'") >= written);
        }
    }

    /** Kafka refuses a record over its request size and a topic name with a space: both parked, the rest flows. */
    @Test
    void eventsKafkaRefusesForGoodAreParkedAndTheSourceGoesOn() throws Exception {
        String aggregateType = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        UUID before;
        UUID tooLarge;
        UUID badTopic;
        UUID after;
        try (OutboxRows rows = new OutboxRows(database)) {
            before = rows.add(aggregateType, "k-1", "Before", "{}");
            // over the producer's max.request.size (1 MiB)
            tooLarge = rows.add(aggregateType, "k-2", "Huge", "{\"pad\": \"" + "p".repeat(1_200_000) + "\"}");
            badTopic = rows.add("no such topic " + aggregateType, "k-3", "Misrouted", "{}");
            rows.commit();
            after = rows.add(aggregateType, "k-4", "After", "{}");
            rows.commit();
        }
        try (TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events")) {
            List<ConsumerRecord<String, String>> seen = reader.until(
                    r -> r.stream().anyMatch(c -> "k-4".equals(c.key())), Duration.ofSeconds(90));
            assertThat(seen).extracting(r -> header(r, "id")).containsExactlyInAnyOrder(before.toString(), after.toString());
        }
        // parking follows Kafka's refusal; k-4 of a later transaction can be on the topic before the row is written
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            try (java.sql.Connection c = TestStack.shared().connect("relay");
                 java.sql.PreparedStatement q = c.prepareStatement(
                         "SELECT event_id, topic, event_type, reason, length(payload) FROM relay_parked_event WHERE source = ? ORDER BY event_type")) {
                q.setString(1, database);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(tooLarge.toString());
                    assertThat(rs.getString(3)).isEqualTo("Huge");
                    assertThat(rs.getString(4)).startsWith("RecordTooLargeException");
                    assertThat(rs.getInt(5)).isGreaterThan(1_200_000);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(badTopic.toString());
                    assertThat(rs.getString(2)).isEqualTo("no such topic " + aggregateType + ".events");
                    assertThat(rs.getString(4)).startsWith("InvalidTopicException");
                    assertThat(rs.next()).isFalse();
                }
            }
            RestAssured.get("/q/metrics").then()
                    .body(containsString("relay_events_parked_total{source=\"" + database + "\"} 2.0"))
                    .body(containsString("relay_engine_restarts_total{source=\"" + database + "\"} 0.0"));
        });
    }

    @Test
    void healthAndMetricsDescribeEachSource() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                RestAssured.get("/q/metrics").then().statusCode(200)
                        .body(containsString("relay_engine_up{source=\"" + database + "\"} 1.0"))
                        .body(containsString("relay_slot_lag_bytes{source=\"" + database + "\"}"))
                        .body(containsString("relay_slot_retained_bytes{source=\"" + database + "\"}")));
    }

    /** ops/alerts.yml names only metrics the relay serves: a renamed metric would silence an alert. */
    @Test
    void theAlertRulesNameMetricsTheRelayServes() throws Exception {
        String rules = java.nio.file.Files.readString(dev.ordersaga.stack.RepoRoot.find().orElseThrow().resolve("ops/alerts.yml"));
        java.util.Set<String> named = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\brelay_[a-z_]+").matcher(rules);
        while (m.find()) {
            named.add(m.group());
        }
        named.remove("relay_parked_event"); // the table, in a description
        assertThat(named).contains("relay_engine_up", "relay_slot_retained_bytes", "relay_events_parked_total");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = RestAssured.get("/q/metrics").asString();
            assertThat(named).allSatisfy(name -> assertThat(metrics).contains(name + "{"));
        });
    }

    private static String header(ConsumerRecord<String, String> r, String key) {
        return TopicReader.header(r, key);
    }
}
