package dev.ordersaga.coupon.rest;

import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Who may issue and read coupons, and issuing again. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "coupons"))
class AccessTest {

    private static final String ADMIN = TestTokens.bearer("admin", "coupon-admin");

    @Test
    void onlyACouponAdminIssuesCoupons() {
        String code = code();
        given().header("Authorization", "none").contentType(ContentType.JSON).body(coupon(code, 100)).post("/coupons")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        for (String role : List.of("customer", "stock-admin", "operator")) {
            given().header("Authorization", TestTokens.bearer("x", role)).contentType(ContentType.JSON).body(coupon(code, 100))
                    .post("/coupons").then().statusCode(403).contentType("application/problem+json");
        }
        assertThat(rows(code)).isZero();
    }

    @Test
    void readingACouponNeedsAnAdminRoleOrOperatorNotACustomer() {
        String code = code();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(coupon(code, 10)).post("/coupons").then().statusCode(201);
        for (String role : List.of("stock-admin", "coupon-admin", "operator")) {
            given().header("Authorization", TestTokens.bearer("x", role)).get("/coupons/" + code).then().statusCode(200);
        }
        given().header("Authorization", TestTokens.bearer("x", "customer")).get("/coupons/" + code).then().statusCode(403);
    }

    @Test
    void theSameIssueAgainIs200AndAnotherDiscount409() {
        String code = code();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(coupon(code, 10)).post("/coupons").then().statusCode(201);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(coupon(code, 10)).post("/coupons").then()
                .statusCode(200).body("code", equalTo(code)).body("discountPercent", equalTo(10)).body("status", equalTo("AVAILABLE"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(coupon(code, 50)).post("/coupons").then()
                .statusCode(409).contentType("application/problem+json");
        given().header("Authorization", ADMIN).get("/coupons/" + code).then().body("discountPercent", equalTo(10));
        assertThat(rows(code)).isEqualTo(1);
    }

    private static String coupon(String code, int discount) {
        return "{\"code\": \"" + code + "\", \"discountPercent\": " + discount + "}";
    }

    private static String code() {
        return "C-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long rows(String code) {
        try (Connection c = TestStack.shared().connect("coupons"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM coupon WHERE code = '" + code + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
