package dev.ordersaga.outbox;

import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.stack.LocalStackResource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class TracingTest {

    private static final String TRACEPARENT = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}";

    @Inject
    Outbox outbox;

    @Inject
    Tracing tracing;

    @Inject
    Tracer tracer;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    EntityManager em;

    @Test
    void anEventWrittenInsideASpanCarriesTheTraceparentOfItsWriteSpanAChildOfThatSpan() {
        String orderId = UUID.randomUUID().toString();
        Span request = tracer.spanBuilder("request").startSpan();
        UUID eventId;
        try (Scope ignored = request.makeCurrent()) {
            eventId = QuarkusTransaction.requiringNew().call(() ->
                    outbox.add(new StockRejected(orderId, StockRejected.Reason.OUT_OF_STOCK, "SKU-1")));
        } finally {
            request.end();
        }

        String traceparent = traceparentOf(eventId);
        assertThat(traceparent).matches(TRACEPARENT).hasSize(55);
        SpanData write = finished("outbox.write StockRejected", orderId);
        assertThat(traceparent).isEqualTo("00-" + write.getTraceId() + "-" + write.getSpanId() + "-01");
        assertThat(write.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(write.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(write.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(write.getAttributes().get(Tracing.EVENT_ID)).isEqualTo(eventId.toString());
        assertThat(write.getAttributes().get(Tracing.EVENT_TYPE)).isEqualTo("StockRejected");
        assertThat(write.getAttributes().get(Tracing.AGGREGATE_TYPE)).isEqualTo("inventory");
    }

    @Test
    void applyRunsInAChildOfTheHeadersSpanAndWhatItWritesContinuesTheTrace() {
        String orderId = UUID.randomUUID().toString();
        String traceId = hex(32);
        String parentSpanId = hex(16);
        ConsumerRecord<String, String> record = new ConsumerRecord<>("inventory.events", 2, 42L, orderId, "{}");
        record.headers().add(Tracing.HEADER, ("00-" + traceId + "-" + parentSpanId + "-01").getBytes(StandardCharsets.UTF_8));
        UUID consumed = UUID.randomUUID();
        AtomicReference<String> current = new AtomicReference<>();

        UUID written = tracing.call("order-app", record, consumed, "StockReserved", () -> {
            current.set(Tracing.traceparent());
            return QuarkusTransaction.requiringNew().call(() ->
                    outbox.add(new StockRejected(orderId, StockRejected.Reason.UNKNOWN_SKU, "SKU-2")));
        });

        SpanData apply = finished("apply StockReserved", orderId);
        assertThat(apply.getTraceId()).isEqualTo(traceId);
        assertThat(apply.getParentSpanId()).isEqualTo(parentSpanId);
        assertThat(apply.getParentSpanContext().isRemote()).isTrue();
        assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(apply.getAttributes().get(Tracing.CONSUMER)).isEqualTo("order-app");
        assertThat(apply.getAttributes().get(Tracing.EVENT_ID)).isEqualTo(consumed.toString());
        assertThat(apply.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("messaging.kafka.offset"))).isEqualTo(42L);
        assertThat(current.get()).as("the apply span is current inside")
                .isEqualTo("00-" + traceId + "-" + apply.getSpanId() + "-01");

        String traceparent = traceparentOf(written);
        assertThat(traceparent).startsWith("00-" + traceId + "-");
        SpanData write = finished("outbox.write StockRejected", orderId);
        assertThat(write.getParentSpanId()).isEqualTo(apply.getSpanId());
        assertThat(Tracing.traceparent()).as("nothing current after apply").isNull();
    }

    @Test
    void aFailureEndsTheApplySpanWithAnErrorAndIsRethrown() {
        String orderId = UUID.randomUUID().toString();
        ConsumerRecord<String, String> record = new ConsumerRecord<>("inventory.events", 0, 7L, orderId, "{}");

        assertThatThrownBy(() -> tracing.run("order-app", record, UUID.randomUUID(), "StockReserved", () -> {
            throw new RuleViolation("order " + orderId + " is cancelled");
        })).isInstanceOf(RuleViolation.class);

        SpanData apply = finished("apply StockReserved", orderId);
        assertThat(apply.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(apply.getEvents()).extracting(e -> e.getName()).contains("exception");
    }

    @Test
    void aMissingEmptyOrMalformedHeaderStartsANewTrace() {
        for (byte[] header : new byte[][] {null, new byte[0], "garbage".getBytes(StandardCharsets.UTF_8),
                ("00-" + "0".repeat(32) + "-" + hex(16) + "-01").getBytes(StandardCharsets.UTF_8)}) {
            String orderId = UUID.randomUUID().toString();
            ConsumerRecord<String, String> record = new ConsumerRecord<>("inventory.events", 0, 1L, orderId, "{}");
            record.headers().add(Tracing.HEADER, header);
            String inside = tracing.call("order-app", record, UUID.randomUUID(), "StockReserved", Tracing::traceparent);

            SpanData apply = finished("apply StockReserved", orderId);
            assertThat(apply.getParentSpanContext().isValid()).isFalse();
            assertThat(inside).matches(TRACEPARENT).contains(apply.getTraceId());
        }
    }

    @Test
    void aDelayedEventFiresWithTheTraceparentOfTheSpanThatScheduledIt() {
        String orderId = UUID.randomUUID().toString();
        Span request = tracer.spanBuilder("request").startSpan();
        Outbox.Scheduled scheduled;
        try (Scope ignored = request.makeCurrent()) {
            scheduled = QuarkusTransaction.requiringNew().call(() ->
                    outbox.schedule(new StockReserved(orderId, java.util.List.of()), Instant.now()));
        } finally {
            request.end();
        }
        SpanData schedule = finished("outbox.schedule StockReserved", orderId);
        assertThat(schedule.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());

        await().atMost(Duration.ofSeconds(10)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("SELECT count(*) FROM outbox WHERE id = ?1").setParameter(1, scheduled.eventId())
                        .getSingleResult()).toString().equals("1"));
        assertThat(traceparentOf(scheduled.eventId()))
                .isEqualTo("00-" + schedule.getTraceId() + "-" + schedule.getSpanId() + "-01");
    }

    private String traceparentOf(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT traceparent FROM outbox WHERE id = ?1").setParameter(1, eventId).getSingleResult());
    }

    /** The one finished span of that name for that order (spans are handed to the exporter in batches). */
    private SpanData finished(String name, String orderId) {
        AtomicReference<SpanData> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var matching = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(name) && orderId.equals(s.getAttributes().get(Tracing.ORDER_ID)))
                    .toList();
            if (matching.size() == 1) {
                found.set(matching.get(0));
            }
            return matching.size() == 1;
        });
        return found.get();
    }

    private static String hex(int digits) {
        StringBuilder b = new StringBuilder();
        while (b.length() < digits) {
            b.append(Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1L));
        }
        return b.substring(0, digits);
    }
}
