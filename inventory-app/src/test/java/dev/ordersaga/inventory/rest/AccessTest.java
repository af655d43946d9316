package dev.ordersaga.inventory.rest;

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
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Who may set and read stock, and conditional writes with ETag / If-Match. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class AccessTest {

    private static final String ADMIN = TestTokens.bearer("admin", "stock-admin");

    @Test
    void onlyAStockAdminSetsStockAndNoTokenIs401() {
        String sku = sku();
        given().header("Authorization", "none").contentType(ContentType.JSON).body("{\"available\": 5}").put("/stock/" + sku)
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        for (String role : List.of("customer", "coupon-admin", "operator")) {
            given().header("Authorization", TestTokens.bearer("x", role)).contentType(ContentType.JSON).body("{\"available\": 5}")
                    .put("/stock/" + sku).then().statusCode(403).contentType("application/problem+json");
        }
        assertThat(rows(sku)).isZero();
    }

    @Test
    void readingStockNeedsAnAdminRoleOrOperator() {
        String sku = sku();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"available\": 5}").put("/stock/" + sku)
                .then().statusCode(201);
        for (String role : List.of("stock-admin", "coupon-admin", "operator")) {
            given().header("Authorization", TestTokens.bearer("x", role)).get("/stock/" + sku).then().statusCode(200);
        }
        given().header("Authorization", TestTokens.bearer("x", "customer")).get("/stock/" + sku).then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", "none").get("/stock/" + sku).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void creatingASkuIs201AndReplacingIt200() {
        String sku = sku();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"available\": 5}").put("/stock/" + sku)
                .then().statusCode(201).header("Location", endsWith("/stock/" + sku)).body("available", equalTo(5));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"available\": 6}").put("/stock/" + sku)
                .then().statusCode(200).body("available", equalTo(6));
    }

    @Test
    void aWriteWithAStaleETagIs412AndChangesNothing() {
        String sku = sku();
        String created = given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"available\": 5}")
                .put("/stock/" + sku).then().statusCode(201).extract().header("ETag");
        String read = given().header("Authorization", ADMIN).get("/stock/" + sku).then().statusCode(200).extract().header("ETag");
        assertThat(read).isEqualTo(created).isNotBlank();
        String next = given().header("Authorization", ADMIN).header("If-Match", read).contentType(ContentType.JSON)
                .body("{\"available\": 7}").put("/stock/" + sku).then().statusCode(200).body("available", equalTo(7))
                .header("ETag", not(equalTo(read))).extract().header("ETag");
        // a second admin still holding the first ETag
        given().header("Authorization", ADMIN).header("If-Match", read).contentType(ContentType.JSON).body("{\"available\": 1}")
                .put("/stock/" + sku).then().statusCode(412).contentType("application/problem+json").body("errors.field", hasItem("If-Match"));
        given().header("Authorization", ADMIN).get("/stock/" + sku).then().body("available", equalTo(7)).header("ETag", equalTo(next));
    }

    @Test
    void aConditionalWriteOfAnUnknownSkuCreatesNothing() {
        String sku = sku();
        given().header("Authorization", ADMIN).header("If-Match", "\"1\"").contentType(ContentType.JSON).body("{\"available\": 1}")
                .put("/stock/" + sku).then().statusCode(412).contentType("application/problem+json");
        assertThat(rows(sku)).isZero();
        given().header("Authorization", ADMIN).header("If-Match", "seven").contentType(ContentType.JSON).body("{\"available\": 1}")
                .put("/stock/" + sku).then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("If-Match"));
        assertThat(rows(sku)).isZero();
    }

    private static String sku() {
        return "SKU-" + UUID.randomUUID();
    }

    private static long rows(String sku) {
        try (Connection c = TestStack.shared().connect("inventory"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM stock WHERE sku = '" + sku + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
