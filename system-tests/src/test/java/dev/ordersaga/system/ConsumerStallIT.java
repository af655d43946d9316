package dev.ordersaga.system;

import dev.ordersaga.stack.Prometheus;
import dev.ordersaga.stack.Service;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * An operator's open transaction holds a stock row for longer than SmallRye's unprocessed-record age (60 s), which
 * once closed inventory-app's channel for good. Now the consumer waits, readiness says so, and it carries on.
 */
class ConsumerStallIT {

    private static final Duration HOLD = Duration.ofSeconds(90);

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String inventoryManagement = system.managementUrl(Service.INVENTORY_APP);

    @Test
    void aRowLockHeldLongerThanTheMaxAgeDelaysOrdersAndLosesNothing() throws Exception {
        String sku = "STALL-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": 10}").put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        double parkedBefore = parked();

        String waiting;
        try (Connection operator = system.stack.connect("inventory")) {
            operator.setAutoCommit(false);
            try (PreparedStatement lock = operator.prepareStatement("SELECT * FROM stock WHERE sku = ? FOR UPDATE")) {
                lock.setString(1, sku);
                lock.executeQuery().close();
            }
            Instant released = Instant.now().plus(HOLD);
            waiting = place(sku, 2);
            // the consumer is stuck behind the lock: not ready, still alive, the order still pending
            await().atMost(Duration.ofSeconds(60)).until(() -> given().get(inventoryManagement + "/q/health/ready").statusCode() == 503);
            assertThat(given().get(inventoryManagement + "/q/health/ready").asString()).contains("retrying");
            await().atMost(HOLD.plusSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                assertThat(given().get(inventoryManagement + "/q/health/live").statusCode()).isEqualTo(200);
                assertThat(status(waiting)).isEqualTo("PENDING");
                return Instant.now().isAfter(released);
            });
            operator.rollback();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> !"PENDING".equals(status(waiting)));
        assertThat(status(waiting)).isEqualTo("CONFIRMED");
        String next = place(sku, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> !"PENDING".equals(status(next)));
        assertThat(status(next)).isEqualTo("CONFIRMED");
        given().get(inventory + "/stock/" + sku).then().body("available", equalTo(5)).body("reserved", equalTo(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get(inventoryManagement + "/q/health/ready").statusCode() == 200);
        given().get(inventoryManagement + "/q/health/live").then().statusCode(200);
        assertThat(parked()).isEqualTo(parkedBefore);
    }

    private String place(String sku, int quantity) {
        return given().contentType(ContentType.JSON)
                .body("{\"customerId\":\"c-1\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}")
                .post(orders + "/orders").then().statusCode(202).extract().path("id");
    }

    private String status(String id) {
        return given().get(orders + "/orders/" + id).then().statusCode(200).extract().path("status");
    }

    private double parked() {
        return Prometheus.sum(given().get(inventoryManagement + "/q/metrics").asString(), "inbox_events_total", "outcome=\"parked\"");
    }
}
