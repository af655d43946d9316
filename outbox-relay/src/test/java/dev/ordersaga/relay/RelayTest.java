package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            third = rows.add(aggregateType, orderA, "OrderConfirmed", "{\"version\": 1, \"orderId\": \"" + orderA + "\"}");
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

    private static String header(ConsumerRecord<String, String> r, String key) {
        return TopicReader.header(r, key);
    }
}
