package dev.ordersaga.order.ops;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.RepoRoot;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The console API against a real order-app, Postgres and Kafka; inventory-app and coupon-app are stand-ins
 * ({@link PeerStubs}): one answers the ops API, one never answers.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(PeerStubs.class)
class ConsoleResourceTest {

    /**
     * Read, not injected: Quarkus validates every test class's injection points whenever it starts, also for the tests
     * of this module that run without the stand-ins.
     */
    private static String stub() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue(PeerStubs.STUB_URL, String.class);
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @Test
    void onlyOperatorsUseTheConsole() {
        String id = Consoles.placeOrder();
        for (String path : List.of("/ops/console/orders/" + id, "/ops/console/backlog", "/ops/console/parked", "/ops/console/audit",
                "/ops/console/records/orders.events/0/0")) {
            given().header("Authorization", "none").get(path).then().statusCode(401).contentType("application/problem+json");
            given().header("Authorization", TestTokens.bearer("c-ops", "customer")).get(path).then().statusCode(403);
        }
        given().header("Authorization", TestTokens.bearer("c-ops", "customer")).contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}").post("/ops/console/parked/inventory-app/inventory-app/" + PeerStubs.eventId(id, "cancelled") + "/replay")
                .then().statusCode(403);
    }

    @Test
    void anOrderMergesTheServicesThatAnswerAndNamesTheOneThatDoesNot() {
        String id = Consoles.placeOrder();
        long started = System.nanoTime();
        JsonPath answer = given().header("Authorization", Consoles.operator()).get("/ops/console/orders/" + id)
                .then().statusCode(200).extract().jsonPath();
        // coupon-app never answers: the console waited its timeout (1 s here) for it, once per call, in parallel
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        assertThat(answer.getList("services.service")).containsExactly("order-app", "inventory-app", "coupon-app");
        assertThat(answer.getBoolean("services[1].available")).isTrue();
        assertThat(answer.getBoolean("services[2].available")).isFalse();
        assertThat(answer.getString("services[2].error")).contains("no answer within 1000 ms");
        assertThat(answer.getString("order.status")).isEqualTo("PENDING");
        assertThat(answer.getString("services[1].state.reservations[0].sku")).isEqualTo("SKU-1");

        String placed = PeerStubs.eventId(id, "placed");
        String reserved = PeerStubs.eventId(id, "reserved");
        String cancelled = PeerStubs.eventId(id, "cancelled");
        // per event: where the relay put it (from a consumer's journal row), what each consumer did, what that caused;
        // order-app's own ops API adds its events of the order where this build serves one
        List<String> ids = answer.getList("events.eventId");
        assertThat(ids).containsSubsequence(placed, reserved, cancelled);
        String first = "events[" + ids.indexOf(placed) + "].";
        assertThat(answer.getString(first + "topic")).isEqualTo(Topics.ORDERS);
        assertThat(answer.getInt(first + "offset")).isEqualTo(7);
        assertThat(answer.getString(first + "consumers[0].outcome")).isEqualTo("applied");
        assertThat(answer.getList(first + "consumers[0].caused")).containsExactly(reserved);
        String second = "events[" + ids.indexOf(reserved) + "].";
        assertThat(answer.getString(second + "producer")).isEqualTo("inventory-app");
        assertThat(answer.getString(second + "traceparent")).startsWith("00-4bf92f35");
        // one time line, in time order: the relay published, inventory applied, wrote, then parked the cancellation
        List<java.util.Map<String, Object>> steps = answer.getList("timeline");
        assertThat(steps.stream().filter(st -> Set.of(placed, reserved, cancelled).contains(st.get("eventId"))).map(st -> st.get("what")))
                .containsExactly("published", "applied", "written", "parked (parked)");
        List<String> times = steps.stream().map(st -> (String) st.get("at")).filter(java.util.Objects::nonNull).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(t -> java.time.OffsetDateTime.parse(t).toInstant()));
        String parked = "parked[" + answer.getList("parked.eventId").indexOf(cancelled) + "].";
        assertThat(answer.getString(parked + "service")).isEqualTo("inventory-app");
        assertThat(answer.getString(parked + "reason")).isEqualTo("check violation: stand-in");

        // the operator's token went to the service as it came
        given().get(stub() + "/recorded").then().body("authorization", equalTo(Consoles.operator()));
    }

    @Test
    void aServiceThatSendsItsHeadersAndThenStallsIsUnavailableAfterTheDeadline() {
        long started = System.nanoTime();
        JsonPath answer = given().header("Authorization", Consoles.operator()).get("/ops/console/orders/" + PeerStubs.STALLED_ORDER)
                .then().statusCode(200).extract().jsonPath();
        // the stand-in would stall for 30 s: the whole exchange, body included, ends after the timeout (1 s here)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(answer.getString("services[1].service")).isEqualTo("inventory-app");
        assertThat(answer.getBoolean("services[1].available")).isFalse();
        assertThat(answer.getString("services[1].error")).contains("no answer within 1000 ms");
    }

    @Test
    void aReplayMayTakeLongerThanALookup() {
        String id = Consoles.placeOrder();
        given().header("Authorization", Consoles.operator()).get("/ops/console/orders/" + id).then().statusCode(200);
        String cancelled = PeerStubs.eventId(id, "cancelled");
        given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON)
                .body("{\"reason\":\"" + PeerStubs.SLOW_REASON + "\"}")
                .post("/ops/console/parked/inventory-app/inventory-app/" + cancelled + "/replay")
                .then().statusCode(200).body("replayed", hasItem(cancelled));
    }

    @Test
    void anEventIdOrOrderIdThatIsNoIdIs400() {
        given().header("Authorization", Consoles.operator()).get("/ops/console/events/not-a-uuid")
                .then().statusCode(400).body("errors.field", hasItem("eventId"));
        given().header("Authorization", Consoles.operator()).get("/ops/console/orders/a%20b")
                .then().statusCode(400).body("errors.field", hasItem("orderId"));
    }

    @Test
    void aRecordIsReadByTopicPartitionAndOffsetAndAnEmptyPlaceIs404() throws Exception {
        String id = Consoles.placeOrder();
        RecordMetadata at = Consoles.stockReserved(id);
        String path = "/ops/console/records/" + at.topic() + "/" + at.partition() + "/";
        given().header("Authorization", Consoles.operator()).get(path + at.offset()).then().statusCode(200)
                .body("key", equalTo(id)).body("offset", equalTo((int) at.offset()))
                .body("headers.eventType", equalTo("StockReserved"))
                .body("value", equalTo("{\"version\":1,\"orderId\":\"" + id + "\"}"));
        given().header("Authorization", Consoles.operator()).get(path + (at.offset() + 1_000_000)).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", Consoles.operator()).get("/ops/console/records/no.such.topic/0/0").then().statusCode(404);
        given().header("Authorization", Consoles.operator()).get(path + "-1").then().statusCode(400).body("errors.field", hasItem("offset"));
        given().header("Authorization", Consoles.operator()).get("/ops/console/records/" + at.topic() + "/x/0").then().statusCode(400)
                .body("errors.field", hasItem("partition"));
    }

    @Test
    void theBacklogHasEachServicesFiguresAndTheConsumerGroupsLag() throws Exception {
        String id = Consoles.placeOrder();
        RecordMetadata at = Consoles.stockReserved(id);
        // order-app applies it and commits its offset: the group's lag on that partition is then known
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath backlog = given().header("Authorization", Consoles.operator()).get("/ops/console/backlog")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(backlog.getBoolean("consumerLag.available")).isTrue();
            List<java.util.Map<String, Object>> rows = backlog.getList("consumerLag.partitions");
            assertThat(rows).anySatisfy(r -> {
                assertThat(r.get("group")).isEqualTo("order-app");
                assertThat(r.get("topic")).isEqualTo(Topics.INVENTORY);
                assertThat(r.get("partition")).isEqualTo(at.partition());
                assertThat(((Number) r.get("committed")).longValue()).isGreaterThan(at.offset());
                assertThat(r.get("lag")).isEqualTo(0);
            });
            assertThat(backlog.getString("services[1].backlog.relay.slot")).isEqualTo("outbox_inventory");
            assertThat(backlog.getBoolean("services[2].available")).isFalse();
        });
    }

    @Test
    void replayAndSkipNeedAReasonAndAKnownServiceAndArePassedOnWithTheToken() {
        String id = Consoles.placeOrder();
        given().header("Authorization", Consoles.operator()).get("/ops/console/orders/" + id).then().statusCode(200);
        String cancelled = PeerStubs.eventId(id, "cancelled");
        String replay = "/ops/console/parked/inventory-app/inventory-app/" + cancelled + "/replay";
        for (String body : List.of("{}", "{\"reason\":\"  \"}", "{\"reason\":7}")) {
            given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON).body(body).post(replay)
                    .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("reason"));
        }
        given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/ops/console/parked/billing-app/inventory-app/" + cancelled + "/replay").then().statusCode(404);
        given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/ops/console/parked/inventory-app/inventory-app/" + cancelled + "/delete").then().statusCode(404);

        given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON).body("{\"reason\":\"the check is gone\"}")
                .post(replay).then().statusCode(200).body("replayed", hasItem(cancelled)).body("orderId", equalTo(id));
        given().get(stub() + "/recorded").then().body("body", equalTo("{\"reason\":\"the check is gone\"}"))
                .body("authorization", equalTo(Consoles.operator()));
        // coupon-app does not answer: the action's fate is unknown, said so, not guessed
        given().header("Authorization", Consoles.operator()).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/ops/console/parked/coupon-app/coupon-app/" + cancelled + "/skip").then().statusCode(502)
                .contentType("application/problem+json");
    }

    /**
     * ops/alerts.yml names only consumer metrics order-app serves: a renamed metric would silence an alert.
     */
    @Test
    void theAlertRulesNameMetricsTheConsumersServe() throws Exception {
        String rules = Files.readString(RepoRoot.find().orElseThrow().resolve("ops/alerts.yml"));
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(kafka_consumer_[a-z_]+|inbox_[a-z_]+|outbox_[a-z_]+)").matcher(rules);
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).contains("kafka_consumer_fetch_manager_records_lag", "kafka_consumer_fetch_manager_records_lag_max",
                "inbox_events_total", "inbox_parked", "outbox_unpublished_oldest_seconds");
        String id = Consoles.placeOrder();
        Consoles.stockReserved(id);
        // the lag of a newly assigned partition appears within KafkaClientMeters' 5 s refresh (it took up to 60 s with
        // Quarkus's own binder, which this wait would not allow)
        await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> {
            String served = RestAssured.get(metrics).asString();
            assertThat(named).allSatisfy(name -> assertThat(served.lines())
                    .anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")));
        });
    }
}
