package dev.ordersaga.system;

import dev.ordersaga.stack.PostgresOutage;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TestStack;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL gone for longer than two minutes (an immediate stop, as a crash takes it) under a small load, then
 * back: every order the API accepted ends final, and stock and coupons agree with the confirmed orders. Should a
 * process exit on the way (the relay does when an engine fails for good), the test plays the supervisor and
 * starts it again, as Kubernetes would.
 */
class PostgresOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(125);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String coupons = system.url(Service.COUPON_APP);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token = dev.ordersaga.stack.TestTokens.bearer("c-1", "customer");

    @Test
    void everyAcceptedOrderEndsFinalAfterTheDatabaseComesBack() throws Exception {
        String sku = "OUTAGE-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": 1000}").put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String code = "OUT-" + UUID.randomUUID().toString().substring(0, 8);
            given().contentType(ContentType.JSON).body("{\"code\":\"" + code + "\",\"discountPercent\":5}")
                    .post(coupons + "/coupons").then().statusCode(201);
            codes.add(code);
        }

        Map<String, String> accepted = new ConcurrentHashMap<>(); // order id -> coupon code or ""
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                // every other order takes a coupon, from a few: later orders contend for coupons used already
                String code = n % 2 == 0 ? codes.get((n / 2) % codes.size()) : null;
                n++;
                String body = "{\"customerId\":\"c-1\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]"
                        + (code == null ? "" : ",\"couponCode\":\"" + code + "\"") + "}";
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .header("Authorization", token)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    Matcher m = ID.matcher(r.body());
                    if (r.statusCode() == 202 && m.find()) {
                        accepted.put(m.group(1), code == null ? "" : code);
                    } else {
                        refused.incrementAndGet();
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    refused.incrementAndGet();
                }
            }
        }, "outage-load");
        load.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 10);
            PostgresOutage outage = PostgresOutage.stopImmediately(TestStack.home().resolve("pg"), system.stack.postgresPort());
            Instant back = Instant.now().plus(OUTAGE);
            await().atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(back));
            outage.restart(TestStack.home().resolve("pg-restarted.log"));
            await().atMost(Duration.ofSeconds(60)).until(outage::acceptsConnections);
            int before = accepted.size();
            // the load goes on a little after the database is back
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                system.restartExited();
                return accepted.size() >= before + 10;
            });
        } finally {
            running.set(false);
            load.join(30_000);
        }
        assertThat(refused.get()).as("requests refused while the database was down").isPositive();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            system.restartExited();
            return accepted.keySet().stream().noneMatch(id -> "PENDING".equals(status(id)));
        });

        List<String> confirmed = accepted.keySet().stream().filter(id -> "CONFIRMED".equals(status(id))).toList();
        assertThat(confirmed).isNotEmpty();
        // stock: held by exactly the confirmed orders
        int held = confirmed.size();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(inventory + "/stock/" + sku).then()
                .body("reserved", org.hamcrest.Matchers.equalTo(held))
                .body("available", org.hamcrest.Matchers.equalTo(1000 - held)));
        // coupons: locked by the one confirmed order that named it (redeemed once it is paid), free otherwise
        for (String code : codes) {
            List<String> winners = confirmed.stream().filter(id -> code.equals(accepted.get(id))).toList();
            assertThat(winners).as("confirmed orders with coupon " + code).hasSizeLessThanOrEqualTo(1);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var coupon = given().get(coupons + "/coupons/" + code).then().statusCode(200).extract();
                if (winners.isEmpty()) {
                    assertThat((String) coupon.path("status")).isEqualTo("AVAILABLE");
                } else {
                    assertThat((String) coupon.path("status")).isEqualTo("LOCKED");
                    assertThat((String) coupon.path("orderId")).isEqualTo(winners.get(0));
                }
            });
        }
    }

    private String status(String id) {
        return given().get(orders + "/orders/" + id).then().statusCode(200).extract().path("status");
    }
}
