package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.Slots;
import dev.ordersaga.stack.TestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.ordersaga.stack.TopicReader;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What an operator sees when a source cannot be streamed without skipping events: readiness goes DOWN naming the
 * source and why, the process stays alive (its other sources would go on), and once the slot is back the engine
 * starts again by itself.
 */
@QuarkusTest
@WithTestResource(OutboxSources.class)
@TestProfile(EngineFailureTest.OwnSource.class)
class EngineFailureTest {

    /** A profile of its own: this test kills its engine, no other test may share it. */
    public static class OwnSource implements QuarkusTestProfile {
    }

    @ConfigProperty(name = "test.source.database")
    String database;

    @Test
    void aLostSlotIsRefusedWithTheReasonAndStreamedAgainOnceItIsBack() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().statusCode(200));
        String slot = OutboxSchema.slotName(database);

        Slots.lose(TestStack.shared(), slot);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                        .body(containsString("FAILED")).body(containsString(slot)));
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/metrics").then().body(containsString("relay_engine_up{source=\"" + database + "\"} 0.0"));

        // the operator's decision (README): a new slot, and the stored offset forgotten, since it points into WAL
        // the new slot never had (Debezium refuses that too); what was committed meanwhile is theirs to replay
        try (java.sql.Connection c = TestStack.shared().connect(database); java.sql.Statement s = c.createStatement()) {
            // Debezium may have made one itself when it lost the old one (its offset check then refuses it)
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
                    + "' AND NOT active");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput') "
                    + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "')");
        }
        try (java.sql.Connection c = TestStack.shared().connect("relay"); java.sql.Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + OutboxSchema.relayOffsetsTable(database));
        }
        String aggregateType = "back" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        UUID id;
        try (OutboxRows rows = new OutboxRows(database)) {
            id = rows.add(aggregateType, "k", "Back", "{}");
            rows.commit();
        }
        try (TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events")) {
            assertThat(reader.until(r -> !r.isEmpty(), Duration.ofSeconds(90)))
                    .extracting(r -> TopicReader.header(r, "id")).containsExactly(id.toString());
        }
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/metrics").then()
                .body(containsString("relay_engine_up{source=\"" + database + "\"} 1.0"))
                .body(org.hamcrest.Matchers.not(containsString("relay_engine_restarts_total{source=\"" + database + "\"} 0.0")));
    }
}
