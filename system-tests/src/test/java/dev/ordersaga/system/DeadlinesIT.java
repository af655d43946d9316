package dev.ordersaga.system;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TopicReader;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The deadlines end to end, as delayed events through the outbox, the relay and Kafka: an order whose stock step
 * never answers, a confirmed order never paid, one paid in time, and an {@code OrderPlaced} replayed after the
 * order was cancelled. order-app runs with deadlines short enough to wait out.
 */
class DeadlinesIT {

    private static final Duration SAGA = Duration.ofSeconds(8);
    private static final Duration PAYMENT = Duration.ofSeconds(6);

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String coupons = system.url(Service.COUPON_APP);

    @BeforeAll
    static void shortDeadlines() {
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of(
                "ORDER_SAGA_DEADLINE", SAGA.getSeconds() + "s", "ORDER_PAYMENT_TIMEOUT", "PT" + PAYMENT.getSeconds() + "S"));
    }

    @AfterAll
    static void defaultDeadlines() {
        RunningSystem.shared().restartExited();
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of());
    }

    @Test
    void anOrderWhoseStockNeverAnswersIsCancelledAtItsDeadlineAndItsCouponReleased() {
        String sku = stock(10, "1.00");
        String coupon = coupon(10);
        system.stop(Service.INVENTORY_APP);
        try {
            String id = place(sku, 1, coupon);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get(coupons + "/coupons/" + coupon)
                    .then().body("status", equalTo("LOCKED")));
            await().atMost(SAGA.plusSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().get(orders + "/orders/" + id).then().body("status", equalTo("CANCELLED")));
            given().get(orders + "/orders/" + id).then().body("reason", equalTo("SAGA_TIMEOUT"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(coupons + "/coupons/" + coupon)
                    .then().body("status", equalTo("AVAILABLE")).body("orderId", nullValue()));
        } finally {
            system.restartExited();
        }
        // inventory reads the OrderPlaced and then the OrderCancelled: it holds nothing at the end
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertStock(sku, 10, 0, 0));
    }

    @Test
    void anOrderPlacedReplayedAfterItsCancellationHoldsNothing() {
        String sku = stock(10, "1.00");
        String coupon = coupon(10);
        String id = place(sku, 2, coupon);
        awaitStatus(id, "CONFIRMED");
        // not paid: the payment deadline cancels it and everything is released
        awaitStatus(id, "CANCELLED");
        given().get(orders + "/orders/" + id).then().body("reason", equalTo("PAYMENT_TIMEOUT"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertStock(sku, 10, 0, 0);
            given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("AVAILABLE"));
        });

        // the OrderPlaced again, as a replay of a copy parked before it was applied would bring it: a new event id
        ConsumerRecord<String, String> placed;
        try (TopicReader reader = new TopicReader(system.stack.bootstrapServers(), Topics.ORDERS)) {
            placed = reader.until(r -> r.stream().anyMatch(c -> isPlaced(c, id)), Duration.ofSeconds(30))
                    .stream().filter(c -> isPlaced(c, id)).findFirst().orElseThrow();
        }
        TopicReader.send(system.stack.bootstrapServers(), Topics.ORDERS, id, placed.value(),
                Map.of(Topics.ID_HEADER, UUID.randomUUID().toString(), Topics.TYPE_HEADER, "OrderPlaced"));
        try (TopicReader reader = new TopicReader(system.stack.bootstrapServers(), Topics.INVENTORY)) {
            List<ConsumerRecord<String, String>> rejected = reader.until(r -> r.stream().anyMatch(c -> isRejected(c, id)),
                    Duration.ofSeconds(30)).stream().filter(c -> isRejected(c, id)).toList();
            assertThat(rejected).hasSize(1);
        }
        assertStock(sku, 10, 0, 0);
        given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("AVAILABLE"));
        given().get(orders + "/orders/" + id).then().body("status", equalTo("CANCELLED"));
    }

    @Test
    void anOrderPaidInTimeIsPaidItsCouponRedeemedAndItsStockSold() {
        String sku = stock(10, "2.50");
        String coupon = coupon(20);
        String id = place(sku, 4, coupon);
        awaitStatus(id, "CONFIRMED");
        given().contentType(ContentType.JSON).body("{\"amount\": 8.00}").post(orders + "/orders/" + id + "/payment")
                .then().statusCode(200).body("status", equalTo("PAID")).body("total", is(8.0f));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("REDEEMED")).body("orderId", equalTo(id));
            assertStock(sku, 6, 0, 4);
        });
        // well past the payment timeout it stays paid: the deadline was withdrawn with the payment
        await().pollDelay(PAYMENT.plusSeconds(2)).atMost(PAYMENT.plusSeconds(10)).untilAsserted(() ->
                given().get(orders + "/orders/" + id).then().body("status", equalTo("PAID")));
        given().contentType(ContentType.JSON).body("{\"amount\": 8.00}").post(orders + "/orders/" + id + "/payment")
                .then().statusCode(200).body("status", equalTo("PAID"));
    }

    private static boolean isPlaced(ConsumerRecord<String, String> r, String id) {
        return id.equals(r.key()) && "OrderPlaced".equals(TopicReader.header(r, Topics.TYPE_HEADER));
    }

    private static boolean isRejected(ConsumerRecord<String, String> r, String id) {
        return id.equals(r.key()) && "StockRejected".equals(TopicReader.header(r, Topics.TYPE_HEADER))
                && r.value().contains("ORDER_CANCELLED");
    }

    private String stock(int available, String price) {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": " + available + ", \"price\": " + price + "}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        return sku;
    }

    private String coupon(int percent) {
        String code = "C-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"code\": \"" + code + "\", \"discountPercent\": " + percent + "}")
                .post(coupons + "/coupons").then().statusCode(201);
        return code;
    }

    private String place(String sku, int quantity, String coupon) {
        String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]"
                + ", \"couponCode\": \"" + coupon + "\"}";
        return given().contentType(ContentType.JSON).body(body).post(orders + "/orders").then().statusCode(202)
                .extract().path("id");
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().get(orders + "/orders/" + id).then().body("status", equalTo(status)));
    }

    private void assertStock(String sku, int available, int reserved, int sold) {
        given().get(inventory + "/stock/" + sku).then().statusCode(200)
                .body("available", is(available)).body("reserved", is(reserved)).body("sold", is(sold));
    }
}
