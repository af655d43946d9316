package dev.ordersaga.order.rest;

import dev.ordersaga.outbox.Tracing;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One trace from the HTTP request to the outbox row: the row carries the traceparent the relay puts on Kafka. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    EntityManager em;

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @Test
    void placingAnOrderIsOneTraceFromTheRequestToTheOutboxRow() {
        TestTokens.actAs("c-1", "customer");
        String orderId = given().contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}")
                .when().post("/orders")
                .then().statusCode(202).extract().path("id");

        SpanData write = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("outbox.write OrderPlaced")
                        && orderId.equals(s.getAttributes().get(Tracing.ORDER_ID)))
                .findFirst().orElse(null), s -> s != null);
        SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(write.getTraceId()))
                .findFirst().orElse(null), s -> s != null);
        assertThat(server.getName()).isEqualTo("POST /orders");
        assertThat(write.getParentSpanId()).isEqualTo(server.getSpanId());

        // the outbox row itself is gone (delete-after-insert); the trigger's journal kept what it carried
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT event_id, traceparent FROM outbox_journal WHERE aggregateid = ?1 AND type = 'OrderPlaced'")
                .setParameter(1, orderId).getSingleResult());
        assertThat(row[0].toString()).isEqualTo(write.getAttributes().get(Tracing.EVENT_ID));
        assertThat(row[1]).isEqualTo("00-" + server.getTraceId() + "-" + write.getSpanId() + "-01");
    }

    @Test
    void probesOnTheManagementPortAreNotTraced() {
        spans.reset();
        given().get(health).then().statusCode(200);
        given().get(health).then().statusCode(200);
        TestTokens.actAs("c-1", "customer");
        String orderId = given().contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}")
                .post("/orders").then().statusCode(202).extract().path("id");
        // the order's spans arrive after the probes' would have: then no probe span is on its way
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> orderId.equals(s.getAttributes().get(Tracing.ORDER_ID))));
        List<String> names = spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
        assertThat(names).noneMatch(n -> n.contains("health")).contains("POST /orders");
    }
}
