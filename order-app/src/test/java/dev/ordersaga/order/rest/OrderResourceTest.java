package dev.ordersaga.order.rest;

import dev.ordersaga.stack.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class OrderResourceTest {

    private static final String ORDER = """
            {"customerId": "c-1", "items": [{"sku": "SKU-1", "quantity": 2}], "couponCode": "WELCOME10"}""";

    @Test
    void aPlacedOrderIsPendingAndCanBeReadBack() {
        String location = given().contentType(ContentType.JSON).body(ORDER)
                .when().post("/orders")
                .then().statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("customerId", equalTo("c-1"))
                .body("items[0].sku", equalTo("SKU-1"))
                .body("items[0].quantity", equalTo(2))
                .body("couponCode", equalTo("WELCOME10"))
                .body("reason", nullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        given().get(location).then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("PENDING"));
    }

    @Test
    void theCouponIsOptional() {
        given().contentType(ContentType.JSON).body("{\"customerId\": \"c-2\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}")
                .when().post("/orders")
                .then().statusCode(202).body("couponCode", nullValue());
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameOrder() {
        String key = UUID.randomUUID().toString();
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(ORDER)
                .post("/orders").then().statusCode(202).extract().path("id");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(ORDER)
                .post("/orders").then().statusCode(202).body("id", equalTo(first)).header("Location", endsWith(first));
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        given().get("/orders/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().get("/orders/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badInputGetsAProblemNamingTheField() {
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 0}]}", "items[0].quantity");
        problem("{\"customerId\": \"c-1\", \"items\": []}", "items");
        problem("{\"customerId\": \"c-1\"}", "items");
        problem("{\"customerId\": \" \", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}", "customerId");
        problem("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}", "customerId");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"\", \"quantity\": 1}]}", "items[0].sku");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}], \"couponCode\": \"  \"}", "couponCode");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": \"two\"}]}", "items[0].quantity");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\"", "body");
        problem("", "body");
    }

    @Test
    void anIdempotencyKeyWithBlanksIsRejected() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "two words").body(ORDER).post("/orders")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void wrongContentTypeAndOversizedBodiesAreRefused() {
        given().contentType(ContentType.TEXT).body(ORDER).post("/orders")
                .then().statusCode(415).contentType("application/problem+json");
        String huge = "{\"customerId\": \"" + "x".repeat(100_000) + "\", \"items\": []}";
        given().contentType(ContentType.JSON).body(huge).post("/orders").then().statusCode(413)
                .contentType("application/problem+json").body("errors.field", hasItem("body"));
    }

    private static void problem(String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(field));
    }
}
