package dev.ordersaga.inventory.ops;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The ops API of the outbox library as inventory-app serves it: who may call it, bad input, a replay end to end. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class OpsApiTest {

    private static final String OPERATOR = TestTokens.bearer("ops-1", "operator");

    @Test
    void onlyAnOperatorMayLookOrAct() {
        given().header("Authorization", "none").get("/ops/parked").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().header("Authorization", TestTokens.bearer("c-1", "customer")).get("/ops/parked").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer("c-1", "customer")).contentType(ContentType.JSON)
                .body("{\"reason\": \"mine\"}").post("/ops/parked/inventory-app/" + UUID.randomUUID() + "/skip")
                .then().statusCode(403);
        given().header("Authorization", OPERATOR).get("/ops/parked").then().statusCode(200);
    }

    @Test
    void aBlankReasonOrABadLimitIs400AndAnUnknownEvent404() {
        String unknown = UUID.randomUUID().toString();
        for (String body : new String[] {"{\"reason\": \"  \"}", "{}"}) {
            given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body(body)
                    .post("/ops/parked/inventory-app/" + unknown + "/replay").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        }
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\": \"looked wrong\"}")
                .post("/ops/parked/inventory-app/" + unknown + "/replay").then().statusCode(404)
                .contentType("application/problem+json").body("errors.field", hasItem("eventId"));
        given().header("Authorization", OPERATOR).get("/ops/events/" + unknown).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", OPERATOR).get("/ops/parked?status=lost").then().statusCode(400)
                .body("errors.field", hasItem("status"));
        for (String path : new String[] {"/ops/parked?limit=abc", "/ops/audit?limit=abc", "/ops/audit?limit=0"}) {
            given().header("Authorization", OPERATOR).get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("limit"));
        }
    }

    @Test
    void aReplayThroughHttpAppliesTheParkedEventAndLeavesItsTrail() {
        String sku = "SKU-" + UUID.randomUUID();
        given().header("Authorization", TestTokens.bearer("admin", "stock-admin")).contentType(ContentType.JSON)
                .body("{\"available\": 10}").put("/stock/" + sku).then().statusCode(201);
        String orderId = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        park(orderId, eventId, "{\"version\":1,\"orderId\":\"" + orderId + "\",\"customerId\":\"c-1\",\"items\":[{\"sku\":\""
                + sku + "\",\"quantity\":3}],\"couponCode\":null,\"placedAt\":\"2026-11-23T10:00:00Z\"}");
        given().header("Authorization", OPERATOR).get("/ops/parked").then().statusCode(200)
                .body("eventId", hasItem(eventId.toString()));

        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\": \"stock fixed\"}")
                .post("/ops/parked/inventory-app/" + eventId + "/replay").then().statusCode(200)
                .body("action", equalTo("replay"))
                .body("orderId", equalTo(orderId))
                .body("replayed", contains(eventId.toString()))
                .body("stillParked", empty());

        given().header("Authorization", TestTokens.bearer("admin", "stock-admin")).get("/stock/" + sku).then()
                .body("reserved", equalTo(3));
        given().header("Authorization", OPERATOR).get("/ops/orders/" + orderId).then().statusCode(200)
                .body("service", equalTo("inventory-app"))
                .body("state.reservations[0].quantity", equalTo(3))
                .body("written.type", contains("StockReserved"))
                .body("consumed.outcome", contains("replayed"))
                .body("consumed[0].caused", contains(given().header("Authorization", OPERATOR).get("/ops/orders/" + orderId)
                        .then().extract().path("written[0].eventId").toString()))
                .body("parked[0].status", equalTo("replayed"));
        given().header("Authorization", OPERATOR).get("/ops/audit?orderId=" + orderId).then().statusCode(200)
                .body("actor", contains("ops-1"))
                .body("reason", contains("stock fixed"))
                .body("outcome[0]", containsString("replayed 1"));
        given().header("Authorization", OPERATOR).get("/ops/events/" + eventId).then().statusCode(200)
                .body("consumed.eventId", contains(eventId.toString()));
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\": \"again\"}")
                .post("/ops/parked/inventory-app/" + eventId + "/skip").then().statusCode(409)
                .contentType("application/problem+json");
        given().header("Authorization", OPERATOR).get("/ops/backlog").then().statusCode(200)
                .body("service", equalTo("inventory-app"))
                .body("relay.slot", equalTo("outbox_inventory"))
                .body("relay.lagBytes", org.hamcrest.Matchers.notNullValue());
    }

    /** As the consumer parks a refused delivery: the record as it came. */
    private static void park(String orderId, UUID eventId, String payload) {
        try (Connection c = TestStack.shared().connect("inventory"); PreparedStatement s = c.prepareStatement("""
                INSERT INTO parked_event (consumer, event_id, event_type, order_id, topic, kafka_partition, kafka_offset,
                                          headers, payload, reason)
                VALUES ('inventory-app', ?, 'OrderPlaced', ?, ?, 0, 0, CAST(? AS jsonb), ?, 'refused by the domain: test')""")) {
            s.setObject(1, eventId);
            s.setString(2, orderId);
            s.setString(3, Topics.ORDERS);
            s.setString(4, "{\"" + Topics.ID_HEADER + "\":\"" + eventId + "\",\"" + Topics.TYPE_HEADER + "\":\"OrderPlaced\"}");
            s.setBytes(5, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
