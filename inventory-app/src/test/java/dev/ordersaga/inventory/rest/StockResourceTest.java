package dev.ordersaga.inventory.rest;

import dev.ordersaga.stack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StockResourceTest {

    @Test
    void stockThatIsSetCanBeReadBack() {
        String sku = sku();
        given().contentType(ContentType.JSON).body("{\"available\": 10}")
                .when().put("/stock/" + sku)
                .then().statusCode(200)
                .body("sku", equalTo(sku))
                .body("available", equalTo(10))
                .body("reserved", equalTo(0));
        given().get("/stock/" + sku).then().statusCode(200)
                .body("sku", equalTo(sku))
                .body("available", equalTo(10))
                .body("reserved", equalTo(0));
    }

    @Test
    void settingAgainReplacesWhatIsAvailable() {
        String sku = sku();
        given().contentType(ContentType.JSON).body("{\"available\": 10}").put("/stock/" + sku).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"available\": 0}").put("/stock/" + sku)
                .then().statusCode(200).body("available", equalTo(0)).body("reserved", equalTo(0));
        given().get("/stock/" + sku).then().statusCode(200).body("available", equalTo(0));
    }

    @Test
    void anUnknownSkuIsNotFound() {
        given().get("/stock/" + sku()).then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void badInputGetsAProblemNamingTheField() {
        String sku = sku();
        problem(sku, "{\"available\": -1}", "available");
        problem(sku, "{\"available\": 1000000001}", "available");
        problem(sku, "{}", "available");
        problem(sku, "{\"available\": null}", "available");
        problem(sku, "{\"available\": \"ten\"}", "available");
        problem(sku, "{\"available\": 10", "body");
        problem(sku, "", "body");
        problem("S".repeat(65), "{\"available\": 10}", "sku");
        // nothing of the refused requests was stored
        given().get("/stock/" + sku).then().statusCode(404);
    }

    @Test
    void refusedInputLeavesExistingStockAsItWas() {
        String sku = sku();
        given().contentType(ContentType.JSON).body("{\"available\": 7}").put("/stock/" + sku).then().statusCode(200);
        problem(sku, "{\"available\": -5}", "available");
        given().get("/stock/" + sku).then().statusCode(200).body("available", equalTo(7));
    }

    @Test
    void wrongContentTypeIsRefused() {
        String sku = sku();
        given().contentType(ContentType.TEXT).body("{\"available\": 10}").put("/stock/" + sku)
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        given().get("/stock/" + sku).then().statusCode(404);
    }

    private static String sku() {
        return "SKU-" + UUID.randomUUID();
    }

    private static void problem(String sku, String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().put("/stock/" + sku)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(field));
    }
}
