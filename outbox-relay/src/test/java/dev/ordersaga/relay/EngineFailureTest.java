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

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What an operator sees when an engine dies: readiness and liveness go DOWN and name the source. (Here the
 * process is told not to exit, so the probes can be read; RelayFailureIT shows the exit.)
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
    void aLostSlotTakesReadinessAndLivenessDown() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().statusCode(200));

        Slots.lose(TestStack.shared(), OutboxSchema.slotName(database));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                RestAssured.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                        .body(containsString("FAILED")));
        RestAssured.get("/q/health/live").then().statusCode(503).body(containsString(database));
        RestAssured.get("/q/metrics").then().body(containsString("relay_engine_up{source=\"" + database + "\"} 0.0"));
    }
}
