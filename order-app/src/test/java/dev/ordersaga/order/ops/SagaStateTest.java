package dev.ordersaga.order.ops;

import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** order-app's part of GET /ops/orders/{orderId}: the order as the saga holds it, and the events it wrote. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SagaStateTest {

    private static final String OPERATOR = TestTokens.bearer("ops-1", "operator");

    @Test
    void anOrderShowsItsSagaStateAndWhatWasWrittenForIt() {
        String id = given().header("Authorization", TestTokens.bearer("c-ops", "customer")).contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 2}]}").post("/orders")
                .then().statusCode(202).extract().path("id");

        String placed = given().header("Authorization", OPERATOR).get("/ops/orders/" + id).then().statusCode(200)
                .body("service", equalTo("order-app"))
                .body("state.status", notNullValue())
                .body("state.customerId", equalTo("c-ops"))
                .body("state.lines[0].sku", equalTo("SKU-1"))
                .body("state.lines[0].quantity", equalTo(2))
                .body("written.type", hasItem("OrderPlaced"))
                .extract().path("written[0].eventId");
        given().header("Authorization", OPERATOR).get("/ops/events/" + placed).then().statusCode(200)
                .body("written[0].orderId", equalTo(id));
        given().header("Authorization", OPERATOR).get("/ops/orders/not-an-order").then().statusCode(200)
                .body("state", anEmptyMap());
    }
}
