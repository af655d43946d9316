package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The real engine under the leadership lock: losing the lock session stops it and frees the slot; while another
 * holder has the lock the relay is a ready standby and publishes nothing; when the lock is free it takes over
 * from the stored offsets and publishes what was committed meanwhile.
 */
@QuarkusTest
@WithTestResource(OutboxSources.class)
@TestProfile(RelayLeadershipTest.Named.class)
class RelayLeadershipTest {

    static final String INSTANCE = "relay-under-test";

    /** A profile of its own: this test takes the relay's lock away, no other test may share the app. */
    public static class Named implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.instance-id", INSTANCE);
        }
    }

    @ConfigProperty(name = "test.source.database")
    String database;

    @Inject
    Relay relay;

    @Inject
    MeterRegistry metrics;

    @Test
    void losingTheLockStopsTheEngineAndTheRelayTakesOverWhenTheLockIsFree() throws Exception {
        String aggregateType = "lead" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .statusCode(200).body("checks[0].data." + database, equalTo("active")));
        assertThat(metric("relay_leader")).isEqualTo(1.0);
        assertThat(metric("relay_takeovers_total")).isEqualTo(1.0);

        try (OutboxRows rows = new OutboxRows(database);
             TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events");
             Connection other = TestStack.shared().connect(database)) {
            rows.add(aggregateType, "k", "Before", "{}");
            rows.commit();
            reader.until(r -> r.size() == 1, Duration.ofSeconds(60));

            // the relay's lock session dies, and another holder takes the lock before the relay can retake it
            terminateLockSession();
            long key = SourceLeader.lockKey(OutboxSchema.slotName(database));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> tryLock(other, key));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric("relay_leader")).isEqualTo(0.0);
                assertThat(metric("relay_engine_up")).isEqualTo(0.0);
                assertThat(slotActive()).as("the engine released the slot").isFalse();
            });
            // a ready standby that names the lock's holder once it has tried the lock again
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                    .statusCode(200).body("checks[0].data." + database, equalTo("standby"))
                    .body(containsString("lock held by")));
            RestAssured.get("/q/health/live").then().statusCode(200);

            Set<String> whileStandby = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                whileStandby.add(rows.add(aggregateType, "k", "WhileStandby", "{\"n\": " + i + "}").toString());
            }
            rows.commit();
            assertThat(reader.drain(Duration.ofSeconds(3))).as("a standby publishes nothing").hasSize(1);

            other.close();
            List<ConsumerRecord<String, String>> all = reader.until(r -> ids(r).containsAll(whileStandby), Duration.ofSeconds(30));
            assertThat(all).extracting(r -> TopicReader.header(r, "eventType")).startsWith("Before", "WhileStandby");
            assertThat(metric("relay_leader")).isEqualTo(1.0);
            assertThat(metric("relay_takeovers_total")).isEqualTo(2.0);
        }
    }

    /**
     * A leader can lose its lock right after taking over, before its engine has started: the stop completes well
     * within the bound after which the process would be halted, counts as a stop and not as an engine failure (which
     * would start it again), and leaves the slot free.
     */
    @Test
    void anEngineStoppedRightAfterItsStartStopsWithoutFailing() throws Exception {
        String db = OutboxDatabases.create(TestStack.shared(), "starting");
        Source source = new Source(db, "127.0.0.1", TestStack.shared().postgresPort(), db, StackEndpoints.USER,
                StackEndpoints.PASSWORD, OutboxSchema.slotName(db), OutboxSchema.PUBLICATION);
        try (KafkaPublisher publisher = new KafkaPublisher(TestStack.shared().bootstrapServers(), Map.of(), metrics)) {
            SourceEngine engine = new SourceEngine(source, publisher, new ParkedEvents(source, "relay", metrics));
            engine.start(relay.properties(source));
            engine.fence();
            long started = System.nanoTime();
            engine.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(engine.state()).isEqualTo(SourceEngine.State.STOPPED);
            assertThat(engine.failure()).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> !slotActive(db));
        }
    }

    private static Set<String> ids(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(TopicReader.header(r, "id")));
        return ids;
    }

    private double metric(String name) {
        String body = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(name + "{") && l.contains("source=\"" + database + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing for " + database));
    }

    private static boolean tryLock(Connection c, long key) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            q.setLong(1, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void terminateLockSession() throws Exception {
        try (Connection c = TestStack.shared().connect("postgres");
             PreparedStatement q = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND datname = ?")) {
            q.setString(1, "outbox-relay " + INSTANCE);
            q.setString(2, database);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("the relay's lock session").isTrue();
            }
        }
    }

    private boolean slotActive() throws Exception {
        return slotActive(database);
    }

    private static boolean slotActive(String database) throws Exception {
        try (Connection c = TestStack.shared().connect(database);
             PreparedStatement q = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, OutboxSchema.slotName(database));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
