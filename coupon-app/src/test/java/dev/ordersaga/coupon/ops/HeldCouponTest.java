package dev.ordersaga.coupon.ops;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import dev.ordersaga.stack.TopicReader;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** coupon-app's part of GET /ops/orders/{orderId}: the coupon the order holds, and the delivery that locked it. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "coupons"))
class HeldCouponTest {

    private static final String OPERATOR = TestTokens.bearer("ops-1", "operator");

    @Test
    void anOrderShowsTheCouponItHoldsAndTheEventItsDeliveryCaused() {
        String code = "OPS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        given().header("Authorization", TestTokens.bearer("admin", "coupon-admin")).contentType(ContentType.JSON)
                .body("{\"code\": \"" + code + "\", \"discountPercent\": 10}").post("/coupons").then().statusCode(201);
        String order = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        TopicReader.send(TestStack.shared().bootstrapServers(), Topics.ORDERS, order,
                "{\"version\":1,\"orderId\":\"" + order + "\",\"customerId\":\"c-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}],"
                        + "\"couponCode\":\"" + code + "\",\"placedAt\":\"2026-11-23T10:00:00Z\"}",
                Map.of(Topics.ID_HEADER, eventId, Topics.TYPE_HEADER, "OrderPlaced"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", OPERATOR)
                .get("/ops/orders/" + order).then().statusCode(200).body("state.status", equalTo("LOCKED")));
        String locked = given().header("Authorization", OPERATOR).get("/ops/orders/" + order).then()
                .body("service", equalTo("coupon-app"))
                .body("state.code", equalTo(code))
                .body("written.type", contains("CouponLocked"))
                .body("consumed.eventId", contains(eventId))
                .body("consumed.outcome", contains("applied"))
                .extract().path("written[0].eventId");
        given().header("Authorization", OPERATOR).get("/ops/orders/" + order).then()
                .body("consumed[0].caused", contains(locked))
                .body("consumed[0].topic", equalTo(Topics.ORDERS));
    }
}
