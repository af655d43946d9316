package dev.ordersaga.order.rest;

import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.RawHttp;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class OrderResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void identity() {
        dev.ordersaga.stack.TestTokens.actAs("c-1", "customer");
    }

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
        given().contentType(ContentType.JSON).body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}")
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
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"\", \"quantity\": 1}]}", "items[0].sku");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}], \"couponCode\": \"  \"}", "couponCode");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": \"two\"}]}", "items[0].quantity");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\"", "body");
        problem("", "body");
    }

    @Test
    void inputIsReadAsTheContractSaysNeverGuessed() {
        String item = "{\"sku\": \"SKU-1\", \"quantity\": 1}";
        problem("{\"customerId\": \"c-1\", \"items\": [" + item + "], \"coupon\": \"WELCOME10\"}", "coupon");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1.5}]}", "items[0].quantity");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"SKU-1\", \"quantity\": \"2\"}]}", "items[0].quantity");
        problem("{\"customerId\": 12, \"items\": [" + item + "]}", "customerId");
        problem("{\"customerId\": \"c\\u0000x\", \"items\": [" + item + "]}", "customerId");
        problem("{\"customerId\": \"c-1\\u0000\", \"items\": [" + item + "]}", "customerId");
        problem("{\"customerId\": \"c-1\\u007f\", \"items\": [" + item + "]}", "customerId");
        problem("{\"customerId\": \"c\\ud800x\", \"items\": [" + item + "]}", "customerId");
        problem("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"S\\u001fKU\", \"quantity\": 1}]}", "items[0].sku");
        problem("{\"customerId\": \"c-1\", \"customerId\": \"c-2\", \"items\": [" + item + "]}", "body");
    }

    @Test
    void controlCharactersInPathsQueriesAndHeadersAreRefused() {
        refused(RawHttp.send(base(), "GET", "/orders/a%00b", null, auth()), "path");
        refused(RawHttp.send(base(), "GET", "/orders/a%ED%A0%80b", null, auth()), "path");
        // not a URI at all (RFC 3986 2.1): the HTTP layer refuses it with a bare 400 before any route runs
        assertThat(RawHttp.send(base(), "GET", "/orders/a%zzb", null, auth()).status()).isEqualTo(400);
        refused(RawHttp.send(base(), "GET", "/orders/x?page=%07", null, auth()), "query");
        // a control character in a header value is not HTTP at all (RFC 9110 5.5): the HTTP codec refuses the
        // message with a bare 400 before any application code runs, and Quarkus has no hook for that answer
        assertThat(RawHttp.send(base(), "POST", "/orders", ORDER.getBytes(), "Content-Type: application/json",
                "Idempotency-Key: k\u0001y").status()).isEqualTo(400);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWithAProblem() {
        for (int size : new int[] {200_000, 2_000_000}) {
            String huge = "{\"customerId\": \"" + "x".repeat(size) + "\", \"items\": []}";
            RawHttp.Answer answer = RawHttp.send(base(), "POST", "/orders", huge.getBytes(), "Content-Type: application/json", auth());
            assertThat(answer.status()).as("%d bytes chunked", size).isEqualTo(413);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }

    private static String auth() {
        return "Authorization: " + TestTokens.bearer("c-1", "customer");
    }

    private static String base() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port;
    }

    private static void refused(RawHttp.Answer answer, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"field\":\"" + field + "\"");
    }

    @Test
    void unknownPathsAndMethodsAnswerProblems() {
        given().get("/nowhere").then().statusCode(404).contentType("application/problem+json");
        given().delete("/orders").then().statusCode(405).contentType("application/problem+json");
        given().get("/q/nowhere").then().statusCode(404).contentType("application/problem+json");
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
