package dev.ordersaga.system;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.Prometheus;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The order saga end to end: HTTP in, real Postgres, real Kafka, the real relay, every service a process. */
class SagaIT {

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String coupons = system.url(Service.COUPON_APP);

    @Test
    void anOrderWithACouponIsConfirmedThenPaidAndTheCouponRedeemed() {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": 10, \"price\": 4.99}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String coupon = coupon(10);
        String id = place(sku, 2, coupon);
        awaitTerminal(id).body("status", equalTo("CONFIRMED")).body("reason", nullValue())
                .body("total", is(8.98f)); // 9.98 less 10 %, rounded half up
        assertStock(sku, 8, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(coupons + "/coupons/" + coupon)
                .then().body("status", equalTo("LOCKED")).body("orderId", equalTo(id)));

        given().contentType(ContentType.JSON).body("{\"amount\": 8.98}").post(orders + "/orders/" + id + "/payment")
                .then().statusCode(200).body("status", equalTo("PAID"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(coupons + "/coupons/" + coupon)
                .then().body("status", equalTo("REDEEMED")).body("orderId", equalTo(id)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(inventory + "/stock/" + sku).then()
                .body("available", is(8)).body("reserved", is(0)).body("sold", is(2)));
    }

    @Test
    void anOrderWithoutCouponNeedsOnlyStock() {
        String sku = stock(5);
        String id = place(sku, 5, null);
        awaitTerminal(id).body("status", equalTo("CONFIRMED"));
        assertStock(sku, 0, 5);
    }

    @Test
    void aUsedCouponCancelsTheOrderAndReleasesItsStock() {
        String sku = stock(10);
        String coupon = coupon(15);
        String first = place(sku, 1, coupon);
        awaitTerminal(first).body("status", equalTo("CONFIRMED"));

        String second = place(sku, 3, coupon);
        awaitTerminal(second).body("status", equalTo("CANCELLED")).body("reason", equalTo("COUPON_UNAVAILABLE"));
        // the 3 units the second order may have held come back; only the first order's unit stays reserved
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertStock(sku, 9, 1));
        given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("LOCKED")).body("orderId", equalTo(first));
    }

    @Test
    void outOfStockCancelsTheOrderAndReleasesItsCoupon() {
        String sku = stock(1);
        String coupon = coupon(20);
        String id = place(sku, 2, coupon);
        awaitTerminal(id).body("status", equalTo("CANCELLED")).body("reason", equalTo("OUT_OF_STOCK"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(coupons + "/coupons/" + coupon)
                .then().body("status", equalTo("AVAILABLE")).body("orderId", nullValue()));
        assertStock(sku, 1, 0);
    }

    @Test
    void anUnknownSkuCancelsTheOrder() {
        String id = place("NO-SUCH-" + UUID.randomUUID(), 1, null);
        awaitTerminal(id).body("status", equalTo("CANCELLED")).body("reason", equalTo("UNKNOWN_SKU"));
    }

    @Test
    void fortyConcurrentOrdersForTenUnitsNeverOversell() throws Exception {
        String sku = stock(10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> placed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            placed.add(pool.submit(() -> place(sku, 1, null)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : placed) {
            ids.add(f.get());
        }
        pool.shutdown();

        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (String id : ids) {
            byStatus.merge(awaitTerminal(id).extract().path("status"), 1, Integer::sum);
        }
        assertThat(byStatus).containsEntry("CONFIRMED", 10).containsEntry("CANCELLED", 30);
        assertStock(sku, 0, 10);
    }

    @Test
    void theSameIdempotencyKeyPlacesOneOrder() {
        String sku = stock(10);
        String key = UUID.randomUUID().toString();
        String body = orderJson(sku, 3, null);
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post(orders + "/orders").then().statusCode(202).extract().path("id");
        String second = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post(orders + "/orders").then().statusCode(202).extract().path("id");
        assertThat(second).isEqualTo(first);
        awaitTerminal(first).body("status", equalTo("CONFIRMED"));
        assertStock(sku, 7, 3);
    }

    @Test
    void republishingAppliedEventsChangesNothing() {
        String sku = stock(10);
        String coupon = coupon(5);
        String id = place(sku, 4, coupon);
        awaitTerminal(id).body("status", equalTo("CONFIRMED"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("LOCKED")));

        Map<String, Double> before = Map.of(
                "order-app", duplicates(system.managementUrl(Service.ORDER_APP), "order-app"),
                "inventory-app", duplicates(system.managementUrl(Service.INVENTORY_APP), "inventory-app"),
                "coupon-app", duplicates(system.managementUrl(Service.COUPON_APP), "coupon-app"));
        int republished = 0;
        for (String topic : List.of(Topics.ORDERS, Topics.INVENTORY, Topics.COUPONS)) {
            try (TopicReader reader = new TopicReader(system.stack.bootstrapServers(), topic)) {
                // every event of this order that topic carries; the order's own topic has placed and confirmed
                int expected = topic.equals(Topics.ORDERS) ? 2 : 1;
                List<ConsumerRecord<String, String>> mine = reader.until(r -> r.stream().filter(c -> id.equals(c.key())).count() >= expected,
                        Duration.ofSeconds(30)).stream().filter(c -> id.equals(c.key())).toList();
                for (ConsumerRecord<String, String> r : mine) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                    TopicReader.send(system.stack.bootstrapServers(), topic, r.key(), r.value(), headers);
                    republished++;
                }
            }
        }
        assertThat(republished).isEqualTo(4);
        // orders.events feeds inventory and coupons; inventory.events and coupons.events feed order-app
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(duplicates(system.managementUrl(Service.INVENTORY_APP), "inventory-app")).isGreaterThanOrEqualTo(before.get("inventory-app") + 2);
            assertThat(duplicates(system.managementUrl(Service.COUPON_APP), "coupon-app")).isGreaterThanOrEqualTo(before.get("coupon-app") + 2);
            // its own two events come back to it too (it reads orders.events for its deadlines)
            assertThat(duplicates(system.managementUrl(Service.ORDER_APP), "order-app")).isGreaterThanOrEqualTo(before.get("order-app") + 4);
        });
        given().get(orders + "/orders/" + id).then().body("status", equalTo("CONFIRMED"));
        assertStock(sku, 6, 4);
        given().get(coupons + "/coupons/" + coupon).then().body("status", equalTo("LOCKED")).body("orderId", equalTo(id));
    }

    @Test
    void badInputGetsAProblemBodyAndChangesNothing() {
        problem(given().contentType(ContentType.JSON).body("{\"customerId\":\"c\",\"items\":[{\"sku\":\"A\",\"quantity\":0}]}")
                .post(orders + "/orders"), 400).body("errors.field", hasItem("items[0].quantity"));
        problem(given().contentType(ContentType.JSON).body("{\"customerId\":\"c\",\"items\":[]}").post(orders + "/orders"), 400)
                .body("errors.field", hasItem("items"));
        problem(given().contentType(ContentType.JSON).body("{\"customerId\":").post(orders + "/orders"), 400)
                .body("errors.field", hasItem("body"));
        problem(given().contentType(ContentType.TEXT).body("hello").post(orders + "/orders"), 415);
        problem(given().contentType(ContentType.JSON).body("{\"customerId\":\"" + "x".repeat(100_000) + "\"}")
                .post(orders + "/orders"), 413).body("errors.field", hasItem("body"));
        problem(given().get(orders + "/orders/" + UUID.randomUUID()), 404);

        String sku = stock(4);
        problem(given().contentType(ContentType.JSON).body("{\"available\":-1}").put(inventory + "/stock/" + sku), 400)
                .body("errors.field", hasItem("available"));
        assertStock(sku, 4, 0);
        problem(given().get(inventory + "/stock/NO-SUCH-" + UUID.randomUUID()), 404);

        String code = coupon(10);
        problem(given().contentType(ContentType.JSON).body("{\"code\":\"" + code + "\",\"discountPercent\":50}").post(coupons + "/coupons"), 409)
                .body("errors.field", hasItem("code"));
        given().get(coupons + "/coupons/" + code).then().body("discountPercent", is(10));
        problem(given().contentType(ContentType.JSON).body("{\"code\":\"X-" + UUID.randomUUID() + "\",\"discountPercent\":101}")
                .post(coupons + "/coupons"), 400).body("errors.field", hasItem("discountPercent"));
        problem(given().contentType(ContentType.JSON).body("{\"code\":\" \",\"discountPercent\":10}").post(coupons + "/coupons"), 400)
                .body("errors.field", hasItem("code"));
    }

    private static ValidatableResponse problem(io.restassured.response.Response r, int status) {
        return r.then().statusCode(status).contentType("application/problem+json").body("status", is(status));
    }

    private String stock(int available) {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": " + available + "}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).body("available", is(available));
        return sku;
    }

    private String coupon(int percent) {
        String code = "C-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"code\": \"" + code + "\", \"discountPercent\": " + percent + "}")
                .post(coupons + "/coupons").then().statusCode(201).body("status", equalTo("AVAILABLE"));
        return code;
    }

    private static String orderJson(String sku, int quantity, String coupon) {
        return "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]"
                + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
    }

    private String place(String sku, int quantity, String coupon) {
        return given().contentType(ContentType.JSON).body(orderJson(sku, quantity, coupon))
                .post(orders + "/orders").then().statusCode(202).body("status", equalTo("PENDING")).extract().path("id");
    }

    private ValidatableResponse awaitTerminal(String id) {
        Callable<String> status = () -> given().get(orders + "/orders/" + id).then().statusCode(200).extract().path("status");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(status, s -> !"PENDING".equals(s));
        return given().get(orders + "/orders/" + id).then();
    }

    private void assertStock(String sku, int available, int reserved) {
        given().get(inventory + "/stock/" + sku).then().statusCode(200)
                .body("available", is(available)).body("reserved", is(reserved));
    }

    private static double duplicates(String app, String consumer) {
        String metrics = given().get(app + "/q/metrics").then().extract().asString();
        return Prometheus.sum(metrics, "inbox_events_total", "outcome=\"duplicate\"", "consumer=\"" + consumer + "\"");
    }
}
