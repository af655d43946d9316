package dev.ordersaga.system;

import dev.ordersaga.stack.Service;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A confirmed order, as an operator traces it: the console's trace lists every event of the order with where the
 * relay put it and what each consumer did, and one trace id runs from order-app's request (its outbox row) onto the
 * Kafka record's header, into each consumer's apply (their journal) and onto the events those applies wrote.
 */
class TraceIT {

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);

    @Test
    void aConfirmedOrderIsOneStoryAndOneTrace() {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": 5, \"price\": 1.00}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String orderId = given().contentType(ContentType.JSON)
                .body("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": 1}]}")
                .post(orders + "/orders").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get(orders + "/orders/" + orderId).then().body("status", equalTo("CONFIRMED")));

        // every consumer of the order's events has journaled them (the OrderConfirmed is the last to arrive)
        JsonPath trace = await().atMost(Duration.ofSeconds(60)).until(() -> console(orderId),
                t -> consumersOf(t, "OrderConfirmed").containsAll(List.of("inventory-app", "coupon-app"))
                        && consumersOf(t, "StockReserved").contains("order-app"));
        List<Map<String, Object>> events = trace.getList("events");
        assertThat(events).extracting(e -> e.get("type")).contains("OrderPlaced", "StockReserved", "OrderConfirmed");
        for (Map<String, Object> e : events) {
            assertThat(e.get("topic")).as("topic of %s", e).isNotNull();
            assertThat(((Number) e.get("partition")).intValue()).as("partition of %s", e).isNotNegative();
            assertThat(((Number) e.get("offset")).longValue()).as("offset of %s", e).isNotNegative();
            assertThat((List<?>) e.get("consumers")).as("consumers of %s", e).isNotEmpty();
        }
        assertThat(consumersOf(trace, "OrderPlaced")).contains("inventory-app", "coupon-app");
        assertThat(trace.getList("events.find { it.type == 'OrderPlaced' }.consumers.outcome", String.class))
                .containsOnly("applied");

        // the request's trace: order-app's outbox row, written in the HTTP request's span
        String traceId = traceId(trace.getString("events.find { it.type == 'OrderPlaced' }.traceparent"));
        assertThat(traceId).matches("[0-9a-f]{32}");
        // on the Kafka record the relay published
        Map<String, Object> placed = trace.getMap("events.find { it.type == 'OrderPlaced' }");
        String header = given().get(orders + "/ops/console/records/" + placed.get("topic") + "/" + placed.get("partition") + "/"
                + placed.get("offset")).then().statusCode(200).extract().path("headers.traceparent");
        assertThat(traceId(header)).isEqualTo(traceId);
        // in inventory-app's apply of it (its journal row)
        JsonPath stock = given().get(inventory + "/ops/orders/" + orderId).then().statusCode(200).extract().jsonPath();
        assertThat(traceId(stock.getString("consumed.find { it.type == 'OrderPlaced' }.traceparent"))).isEqualTo(traceId);
        // and on what the applies wrote: inventory-app's StockReserved (a child of its apply span), order-app's
        // OrderConfirmed (written while it applied the StockReserved)
        assertThat(traceId(stock.getString("written.find { it.type == 'StockReserved' }.traceparent"))).isEqualTo(traceId);
        assertThat(traceId(trace.getString("events.find { it.type == 'OrderConfirmed' }.traceparent"))).isEqualTo(traceId);
    }

    private JsonPath console(String orderId) {
        return given().get(orders + "/ops/console/orders/" + orderId).then().statusCode(200).extract().jsonPath();
    }

    private static List<String> consumersOf(JsonPath trace, String type) {
        List<String> consumers = trace.getList("events.find { it.type == '" + type + "' }.consumers.consumer", String.class);
        return consumers == null ? List.of() : consumers;
    }

    /** The trace id of a W3C traceparent: 00-{trace id}-{span id}-{flags}. */
    private static String traceId(String traceparent) {
        assertThat(traceparent).as("a traceparent").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        return traceparent.split("-")[1];
    }
}
