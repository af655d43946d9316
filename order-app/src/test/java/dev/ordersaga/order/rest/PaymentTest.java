package dev.ordersaga.order.rest;

import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed;
import dev.ordersaga.events.OrderEvent.OrderDeadlinePassed.Deadline;
import dev.ordersaga.events.Topics;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.order.domain.PaymentRefused;
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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** Prices, the total, payment and the two deadlines, against the real broker fed by hand (no relay). */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class PaymentTest {

    @org.junit.jupiter.api.BeforeEach
    void identity() {
        dev.ordersaga.stack.TestTokens.actAs("c-1", "customer");
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @Inject
    EntityManager em;

    @Inject
    OrderService orders;

    @Test
    void aConfirmedOrderShowsItsTotalAndIsPaidOnceForExactlyThatAmount() {
        String orderId = confirmed("SPRING10", 10, "12.50", 2); // 25.00 less 10 %
        given().get("/orders/" + orderId).then().statusCode(200)
                .body("total", equalTo(22.5f))
                .body("items[0].unitPrice", equalTo(12.5f));
        assertThat(deadlines(orderId)).containsExactly("PAYMENT");

        given().contentType(ContentType.JSON).body("{\"amount\": 22.49}").post("/orders/" + orderId + "/payment")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("amount"));
        given().get("/orders/" + orderId).then().body("status", equalTo("CONFIRMED"));

        given().contentType(ContentType.JSON).body("{\"amount\": 22.50}").post("/orders/" + orderId + "/payment")
                .then().statusCode(200).body("status", equalTo("PAID")).body("total", equalTo(22.5f));
        given().contentType(ContentType.JSON).body("{\"amount\": 22.5}").post("/orders/" + orderId + "/payment")
                .then().statusCode(200).body("status", equalTo("PAID"));
        assertThat(deadlines(orderId)).as("a paid order waits for nothing").isEmpty();

        // a payment deadline that fired before it was withdrawn changes nothing now
        String late = UUID.randomUUID().toString();
        publish(orderId, late, "OrderDeadlinePassed", deadline(orderId, "PAYMENT"));
        awaitApplied(late);
        given().get("/orders/" + orderId).then().body("status", equalTo("PAID")).body("reason", nullValue());
    }

    @Test
    void paymentsThatCannotBeAcceptedAreProblems() {
        String pending = place(null);
        given().contentType(ContentType.JSON).body("{\"amount\": 0}").post("/orders/" + pending + "/payment")
                .then().statusCode(409).contentType("application/problem+json").body("errors.field", hasItem("status"));
        given().contentType(ContentType.JSON).body("{\"amount\": 0}").post("/orders/" + UUID.randomUUID() + "/payment")
                .then().statusCode(404).contentType("application/problem+json");
        for (String bad : List.of("{}", "{\"amount\": -1}", "{\"amount\": 1.005}", "{\"amount\": \"ten\"}", "[1]", "not json")) {
            given().contentType(ContentType.JSON).body(bad).post("/orders/" + pending + "/payment")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().get("/orders/" + pending).then().body("status", equalTo("PENDING"));
    }

    @Test
    void theSagaDeadlineCancelsAPendingOrderAndIsWithdrawnWhenItIsConfirmed() {
        String pending = place("SPRING10");
        assertThat(deadlines(pending)).containsExactly("SAGA");
        publish(pending, UUID.randomUUID().toString(), "OrderDeadlinePassed", deadline(pending, "SAGA"));
        awaitStatus(pending, "CANCELLED");
        given().get("/orders/" + pending).then().body("reason", equalTo("SAGA_TIMEOUT"));
        assertThat(deadlines(pending)).isEmpty();

        String confirmed = confirmed(null, null, "1.00", 1);
        String stale = UUID.randomUUID().toString();
        publish(confirmed, stale, "OrderDeadlinePassed", deadline(confirmed, "SAGA"));
        awaitApplied(stale);
        given().get("/orders/" + confirmed).then().body("status", equalTo("CONFIRMED"));

        publish(confirmed, UUID.randomUUID().toString(), "OrderDeadlinePassed", deadline(confirmed, "PAYMENT"));
        awaitStatus(confirmed, "CANCELLED");
        given().get("/orders/" + confirmed).then().body("reason", equalTo("PAYMENT_TIMEOUT"));
    }

    /** A payment and the payment deadline at once, many times: exactly one wins each time, and only its event is written. */
    @Test
    void aPaymentRacingItsDeadlineNeverBothWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String orderId = confirmed(null, null, "3.00", 1);
            UUID id = UUID.fromString(orderId);
            double paidBefore = written("OrderPaid");
            double cancelledBefore = written("OrderCancelled");
            CompletableFuture<Boolean> expiry = CompletableFuture.supplyAsync(() -> {
                QuarkusTransaction.requiringNew().run(() -> orders.deadlinePassed(
                        new OrderDeadlinePassed(orderId, Deadline.PAYMENT, Instant.now())));
                return true;
            });
            boolean paid;
            try {
                orders.pay(id, new BigDecimal("3.00"));
                paid = true;
            } catch (PaymentRefused refused) {
                assertThat(refused.why()).isEqualTo(PaymentRefused.Why.NOT_PAYABLE);
                paid = false;
            }
            expiry.get(30, TimeUnit.SECONDS);
            String status = given().get("/orders/" + orderId).then().extract().path("status");
            assertThat(status).as("round %d", round).isEqualTo(paid ? "PAID" : "CANCELLED");
            assertThat(written("OrderPaid") - paidBefore).as("round %d: OrderPaid", round).isEqualTo(paid ? 1 : 0);
            assertThat(written("OrderCancelled") - cancelledBefore).as("round %d: OrderCancelled", round).isEqualTo(paid ? 0 : 1);
        }
    }

    private String confirmed(String coupon, Integer discountPercent, String unitPrice, int quantity) {
        String orderId = place(coupon, quantity);
        publish(Topics.INVENTORY, orderId, UUID.randomUUID().toString(), "StockReserved", "{\"version\":1,\"orderId\":\""
                + orderId + "\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":" + quantity + ",\"unitPrice\":\"" + unitPrice + "\"}]}");
        if (coupon != null) {
            publish(Topics.COUPONS, orderId, UUID.randomUUID().toString(), "CouponLocked", "{\"version\":1,\"orderId\":\""
                    + orderId + "\",\"code\":\"" + coupon + "\",\"discountPercent\":" + discountPercent + "}");
        }
        awaitStatus(orderId, "CONFIRMED");
        return orderId;
    }

    private static String place(String coupon) {
        return place(coupon, 1);
    }

    private static String place(String coupon, int quantity) {
        String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": " + quantity + "}]"
                + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
        return given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(202).extract().path("id");
    }

    private static String deadline(String orderId, String kind) {
        return "{\"version\":1,\"orderId\":\"" + orderId + "\",\"deadline\":\"" + kind + "\",\"dueAt\":\"2026-11-23T10:00:30Z\"}";
    }

    private static void publish(String key, String eventId, String type, String json) {
        publish(Topics.ORDERS, key, eventId, type, json);
    }

    private static void publish(String topic, String key, String eventId, String type, String json) {
        TopicReader.send(TestStack.shared().bootstrapServers(), topic, key, json, Map.of(Topics.ID_HEADER, eventId, Topics.TYPE_HEADER, type));
    }

    private static void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/orders/" + orderId).then().body("status", equalTo(status)));
    }

    private void awaitApplied(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM inbox WHERE consumer = 'order-app' AND event_id = CAST(?1 AS uuid)")
                .setParameter(1, eventId).getSingleResult()).longValue()) == 1);
    }

    /** The kinds of the order's delayed deadline events still pending. */
    @SuppressWarnings("unchecked")
    private List<String> deadlines(String orderId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT payload->>'deadline' FROM outbox_delayed WHERE aggregateid = ?1 AND type = 'OrderDeadlinePassed'")
                .setParameter(1, orderId).getResultList());
    }

    private double written(String type) {
        return Prometheus.sum(given().get(metrics).then().statusCode(200).extract().asString(),
                "outbox_events_written_total", "aggregatetype=\"orders\"", "type=\"" + type + "\"");
    }
}
