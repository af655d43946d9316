package dev.ordersaga.order.rest;

import dev.ordersaga.stack.EdgeFuzz;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated requests to every endpoint of the order API: never a 5xx, every 4xx a problem body, and a
 * refused request leaves no order behind.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class FuzzTest {

    private static final int TRIES = 1000;

    private final String customer = "fuzz-" + UUID.randomUUID();
    private final String token = TestTokens.bearer(customer, "customer");

    private static Arbitrary<String> orderBody() {
        Map<String, Arbitrary<String>> item = new LinkedHashMap<>();
        item.put("sku", Arbitraries.of("SKU-1", "SKU-2").map(EdgeFuzz::quote));
        item.put("quantity", Arbitraries.integers().between(-2, 10_002).map(String::valueOf));
        Map<String, Arbitrary<String>> order = new LinkedHashMap<>();
        order.put("customerId", EdgeFuzz.text().map(EdgeFuzz::quote));
        order.put("items", EdgeFuzz.array(EdgeFuzz.body(item)));
        order.put("couponCode", EdgeFuzz.text().map(EdgeFuzz::quote));
        return EdgeFuzz.body(order);
    }

    @Test
    void placingOrders() {
        List<String> bodies = orderBody().sampleStream().limit(TRIES).toList();
        for (String body : bodies) {
            long before = orders();
            Response r = send(given().contentType("application/json").body(body), "POST", "/orders");
            if (r.statusCode() >= 400) {
                assertThat(orders()).as("orders after refused %s", body).isEqualTo(before);
            }
        }
    }

    @Test
    void readingListingAndPaying() {
        String mine = given().header("Authorization", token).contentType("application/json")
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}").post("/orders").then().statusCode(202)
                .extract().path("id");
        Arbitrary<String> id = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, EdgeFuzz.pathSegment()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(mine)));
        Map<String, Arbitrary<String>> payment = Map.of("amount", Arbitraries.of("0", "1.00", "-1", "1.005", "1e2", "0.00"));
        for (String segment : id.sampleStream().limit(TRIES / 3).toList()) {
            send(given(), "GET", "/orders/" + segment);
        }
        for (List<String> query : EdgeFuzz.pathSegment().list().ofMaxSize(3).sampleStream().limit(TRIES / 3).toList()) {
            String q = "page=" + (query.isEmpty() ? "" : query.get(0)) + (query.size() > 1 ? "&size=" + query.get(1) : "")
                    + (query.size() > 2 ? "&customerId=" + query.get(2) : "");
            send(given(), "GET", "/orders?" + q);
        }
        List<String> segments = id.sampleStream().limit(TRIES / 3).toList();
        List<String> bodies = EdgeFuzz.body(payment).sampleStream().limit(TRIES / 3).toList();
        for (int i = 0; i < segments.size(); i++) {
            send(given().contentType("application/json").body(bodies.get(i)), "POST", "/orders/" + segments.get(i) + "/payment");
        }
        given().header("Authorization", token).get("/orders/" + mine).then().statusCode(200);
    }

    @Test
    void headers() {
        for (String value : EdgeFuzz.headerValue().sampleStream().limit(TRIES / 2).toList()) {
            long before = orders();
            Response r = send(given().header("Idempotency-Key", value).contentType("application/json")
                    .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}"), "POST", "/orders");
            if (r.statusCode() >= 400) {
                assertThat(orders()).as("orders after refused key %s", value).isEqualTo(before);
            }
            send(given().header("Accept", value), "GET", "/orders");
            send(given().header("Content-Type", value).body("{}".getBytes()), "POST", "/orders");
        }
    }

    private Response send(RequestSpecification spec, String method, String target) {
        return EdgeFuzz.send(spec, token, method, target);
    }

    private Connection db;

    @org.junit.jupiter.api.BeforeEach
    void connect() throws java.sql.SQLException {
        db = TestStack.shared().connect("orders");
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() throws java.sql.SQLException {
        db.close();
    }

    private long orders() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE customer_id = '" + customer + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
