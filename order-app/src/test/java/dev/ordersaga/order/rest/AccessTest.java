package dev.ordersaga.order.rest;

import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.LocalTokens;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Who may do what on the order API, and idempotency keys that belong to their customer. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class AccessTest {

    @TempDir
    static Path otherKeys;

    private static String order(String customerId) {
        return "{" + (customerId == null ? "" : "\"customerId\": \"" + customerId + "\", ")
                + "\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}";
    }

    @Test
    void withoutAValidTokenEveryEndpointIs401WithAProblemAndABearerChallenge() {
        String id = place(customer("c-401"), order(null));
        LocalTokens foreign = LocalTokens.in(otherKeys);
        List<String> refused = List.of("none", "Bearer not-a-token",
                "Bearer " + foreign.mint("c-401", "customer"),                                     // another key
                "Bearer " + TestStack.shared().tokens().mint("c-401", List.of("customer"), Duration.ofMinutes(-5)), // expired
                "Basic YWxpY2U6c2VjcmV0");
        for (String auth : refused) {
            unauthorized(given().header("Authorization", auth).contentType(ContentType.JSON).body(order(null)).post("/orders").then(), auth);
            unauthorized(given().header("Authorization", auth).get("/orders/" + id).then(), auth);
            unauthorized(given().header("Authorization", auth).get("/orders").then(), auth);
            unauthorized(given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"amount\": 1.00}")
                    .post("/orders/" + id + "/payment").then(), auth);
        }
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = 'c-401'")).isEqualTo(1);
    }

    @Test
    void onlyCustomersPlaceAndPayOrders() {
        for (String role : List.of("stock-admin", "coupon-admin", "operator")) {
            forbidden(given().header("Authorization", TestTokens.bearer("c-403", role)).contentType(ContentType.JSON)
                    .body(order(null)).post("/orders").then());
        }
        String id = place(customer("c-403"), order(null));
        forbidden(given().header("Authorization", TestTokens.bearer("c-403", "operator")).contentType(ContentType.JSON)
                .body("{\"amount\": 0.00}").post("/orders/" + id + "/payment").then());
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = 'c-403'")).isEqualTo(1);
    }

    @Test
    void anOrderIsPlacedForTheTokensSubjectAndNamingAnotherCustomerIs403() {
        given().header("Authorization", customer("alice")).contentType(ContentType.JSON).body(order(null)).post("/orders")
                .then().statusCode(202).body("customerId", equalTo("alice"));
        given().header("Authorization", customer("alice")).contentType(ContentType.JSON).body(order("alice")).post("/orders")
                .then().statusCode(202).body("customerId", equalTo("alice"));
        long bobBefore = count("SELECT count(*) FROM orders WHERE customer_id = 'bob'");
        given().header("Authorization", customer("alice")).contentType(ContentType.JSON).body(order("bob")).post("/orders")
                .then().statusCode(403).contentType("application/problem+json").body("errors.field", hasItem("customerId"));
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = 'bob'")).isEqualTo(bobBefore);
        // a subject that cannot be a customer id (the column holds 100 characters): refused, not a 500
        given().header("Authorization", customer("x".repeat(101))).contentType(ContentType.JSON).body(order(null)).post("/orders")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aCustomerReadsAndPaysOnlyTheirOwnOrdersAndAnOperatorReadsAny() {
        String carols = place(customer("carol"), order(null));
        given().header("Authorization", customer("carol")).get("/orders/" + carols).then().statusCode(200);
        // someone else's order does not exist for dave: not even that it exists is told
        given().header("Authorization", customer("dave")).get("/orders/" + carols).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", customer("dave")).contentType(ContentType.JSON).body("{\"amount\": 0.00}")
                .post("/orders/" + carols + "/payment").then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer("ops", "operator")).get("/orders/" + carols).then().statusCode(200)
                .body("customerId", equalTo("carol"));
        given().header("Authorization", customer("carol")).get("/orders/" + carols).then().body("status", equalTo("PENDING"));
    }

    @Test
    void listingGivesTheCallersOwnOrdersNewestFirstInPages() {
        String who = "lister-" + UUID.randomUUID();
        String first = place(customer(who), order(null));
        String second = place(customer(who), order(null));
        String third = place(customer(who), order(null));
        place(customer("someone-else"), order(null));
        given().header("Authorization", customer(who)).get("/orders?size=2").then().statusCode(200)
                .body("items.id", contains(third, second)).body("more", equalTo(true));
        given().header("Authorization", customer(who)).get("/orders?size=2&page=1").then().statusCode(200)
                .body("items.id", contains(first)).body("more", equalTo(false));
        given().header("Authorization", customer(who)).get("/orders?customerId=someone-else").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer("ops", "operator")).get("/orders?customerId=" + who).then()
                .statusCode(200).body("items.id", contains(third, second, first));
        for (String bad : List.of("size=0", "size=101", "size=x", "page=-1", "page=1.5")) {
            given().header("Authorization", customer(who)).get("/orders?" + bad).then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void anIdempotencyKeyBelongsToItsCustomerAndRemembersItsRequest() {
        String key = UUID.randomUUID().toString();
        String erins = given().header("Authorization", customer("erin")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(order(null)).post("/orders").then().statusCode(202).extract().path("id");
        // another customer with the same key gets an order of their own, never erin's
        String franks = given().header("Authorization", customer("frank")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(order(null)).post("/orders").then().statusCode(202).body("customerId", equalTo("frank")).extract().path("id");
        assertThat(franks).isNotEqualTo(erins);
        // the same request again: the same order
        given().header("Authorization", customer("erin")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(order("erin")).post("/orders").then().statusCode(202).body("id", equalTo(erins));
        // the same key with another request: refused, nothing placed
        long before = count("SELECT count(*) FROM orders WHERE customer_id = 'erin'");
        given().header("Authorization", customer("erin")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 2}]}").post("/orders").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = 'erin'")).isEqualTo(before);
    }

    @Test
    void anIdempotencyKeyExpiresAfterItsWindow() throws Exception {
        String key = UUID.randomUUID().toString();
        String old = given().header("Authorization", customer("gina")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(order(null)).post("/orders").then().statusCode(202).extract().path("id");
        try (Connection c = TestStack.shared().connect("orders"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE orders SET placed_at = placed_at - interval '25 hours' WHERE id = '" + old + "'");
        }
        String fresh = given().header("Authorization", customer("gina")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 2}]}").post("/orders").then().statusCode(202).extract().path("id");
        assertThat(fresh).isNotEqualTo(old);
    }

    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    private static String customer(String subject) {
        return TestTokens.bearer(subject, "customer");
    }

    private static String place(String auth, String body) {
        return given().header("Authorization", auth).contentType(ContentType.JSON).body(body).post("/orders")
                .then().statusCode(202).extract().path("id");
    }

    private static void unauthorized(ValidatableResponse r, String auth) {
        r.statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
    }

    private static void forbidden(ValidatableResponse r) {
        r.statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
    }

    private static long count(String sql) {
        try (Connection c = TestStack.shared().connect("orders"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
