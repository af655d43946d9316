package dev.ordersaga.order.messaging;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.Prometheus;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The consumer against the real broker, fed by hand: no relay, no other service. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SagaResultsConsumerTest {

    @org.junit.jupiter.api.BeforeEach
    void identity() {
        dev.ordersaga.stack.TestTokens.actAs("c-1", "customer");
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @Inject
    EntityManager em;

    @Test
    void stockReservedConfirmsAnOrderWithoutCouponAndARedeliveryChangesNothing() {
        String orderId = place(null);
        String eventId = UUID.randomUUID().toString();
        publish(Topics.INVENTORY, orderId, eventId, "StockReserved", "{\"version\":1,\"orderId\":\"" + orderId + "\"}");
        awaitStatus(orderId, "CONFIRMED");
        long version = version(orderId);

        double duplicatesBefore = duplicates();
        publish(Topics.INVENTORY, orderId, eventId, "StockReserved", "{\"version\":1,\"orderId\":\"" + orderId + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() > duplicatesBefore);
        assertThat(version(orderId)).isEqualTo(version);
        given().get("/orders/" + orderId).then().body("status", equalTo("CONFIRMED"));
    }

    @Test
    void aCouponRejectionCancelsEvenAfterStockWasReserved() {
        String orderId = place("SPRING5");
        publish(Topics.INVENTORY, orderId, UUID.randomUUID().toString(), "StockReserved", "{\"version\":1,\"orderId\":\"" + orderId + "\"}");
        publish(Topics.COUPONS, orderId, UUID.randomUUID().toString(), "CouponRejected",
                "{\"version\":1,\"orderId\":\"" + orderId + "\",\"code\":\"SPRING5\",\"reason\":\"ALREADY_REDEEMED\"}");
        awaitStatus(orderId, "CANCELLED");
        given().get("/orders/" + orderId).then().body("reason", equalTo("COUPON_UNAVAILABLE"));
    }

    @Test
    void anUnknownTypeIsSkippedAndAnEventOnTheWrongTopicParkedWithTheLaterEventsOfItsOrderBehindIt() {
        String orderId = place(null);
        String poisonId = UUID.randomUUID().toString();
        String behindId = UUID.randomUUID().toString();
        double skipped = Prometheus.sum(given().get(metrics).then().extract().asString(), "inbox_events_total",
                "outcome=\"skipped\"", "consumer=\"order-app\"");
        // same key: the valid event after the poison waits behind it, in its order
        publish(Topics.INVENTORY, orderId, UUID.randomUUID().toString(), "NoSuchEvent", "{\"orderId\":\"" + orderId + "\"}");
        publish(Topics.INVENTORY, orderId, poisonId, "CouponLocked",
                "{\"version\":1,\"orderId\":\"" + orderId + "\",\"code\":\"X\"}");
        publish(Topics.INVENTORY, orderId, behindId, "StockRejected",
                "{\"version\":1,\"orderId\":\"" + orderId + "\",\"reason\":\"OUT_OF_STOCK\",\"sku\":\"SKU-1\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> poisonId.equals(waitingBehind(behindId)));
        given().get("/orders/" + orderId).then().body("status", org.hamcrest.Matchers.not(equalTo("CANCELLED")));
        assertThat(Prometheus.sum(given().get(metrics).then().extract().asString(), "inbox_events_total",
                "outcome=\"skipped\"", "consumer=\"order-app\"")).isGreaterThan(skipped);

        try (TopicReader dlq = new TopicReader(TestStack.shared().bootstrapServers(), "order-app.inventory.events.dlq")) {
            var parked = dlq.until(r -> r.stream().anyMatch(c -> poisonId.equals(TopicReader.header(c, "id"))), Duration.ofSeconds(30));
            var record = parked.stream().filter(c -> poisonId.equals(TopicReader.header(c, "id"))).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(orderId);
            assertThat(TopicReader.header(record, "dead-letter-reason")).contains("belongs on coupons.events, not on inventory.events");
        }
    }

    @Test
    void anUnreadablePayloadIsParked() {
        String orderId = place(null);
        String poisonId = UUID.randomUUID().toString();
        publish(Topics.INVENTORY, orderId, poisonId, "StockReserved", "{not json");
        try (TopicReader dlq = new TopicReader(TestStack.shared().bootstrapServers(), "order-app.inventory.events.dlq")) {
            dlq.until(r -> r.stream().anyMatch(c -> poisonId.equals(TopicReader.header(c, "id"))), Duration.ofSeconds(30));
        }
        given().get("/orders/" + orderId).then().body("status", equalTo("PENDING"));
    }

    private static String place(String coupon) {
        String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]"
                + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
        return given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(202).extract().path("id");
    }

    private String waitingBehind(String eventId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> (java.util.List<?>) em.createNativeQuery(
                        "SELECT CAST(waiting_behind AS text) FROM parked_event WHERE consumer = 'order-app' AND event_id = CAST(?1 AS uuid)")
                .setParameter(1, eventId).getResultList()).stream().findFirst().map(String::valueOf).orElse(null);
    }

    private static void publish(String topic, String key, String eventId, String type, String json) {
        TopicReader.send(TestStack.shared().bootstrapServers(), topic, key, json, Map.of(Topics.ID_HEADER, eventId, Topics.TYPE_HEADER, type));
    }

    private static void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/orders/" + orderId).then().body("status", equalTo(status)));
    }

    private long version(String orderId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT version FROM orders WHERE id = CAST(?1 AS uuid)").setParameter(1, orderId).getSingleResult()).longValue());
    }

    private double duplicates() {
        return Prometheus.sum(given().get(metrics).then().extract().asString(), "inbox_events_total",
                "outcome=\"duplicate\"", "consumer=\"order-app\"");
    }
}
