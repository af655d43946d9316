package dev.ordersaga.relay;

import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With tracing on, each record is published in a span that continues the row's trace and names itself in the header. */
@QuarkusTest
@WithTestResource(OutboxSources.class)
@TestProfile(RelayTracingTest.TracingOn.class)
class RelayTracingTest {

    /** As if OTEL_EXPORTER_OTLP_ENDPOINT were set; the spans go to InMemorySpans, nothing is sent anywhere. */
    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.tracing.endpoint", "http://127.0.0.1:4317");
        }
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String WRITE_SPAN_ID = "00f067aa0ba902b7";

    @ConfigProperty(name = "test.source.database")
    String database;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theRecordNamesThePublishSpanAChildOfTheSpanThatWroteTheRow() throws Exception {
        String aggregateType = "tr" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        UUID traced;
        UUID untraced;
        try (OutboxRows rows = new OutboxRows(database)) {
            traced = rows.add(aggregateType, "k-1", "Traced", "{}", "00-" + TRACE_ID + "-" + WRITE_SPAN_ID + "-01");
            untraced = rows.add(aggregateType, "k-2", "Untraced", "{}");
            rows.commit();
        }
        try (TopicReader reader = new TopicReader(TestStack.shared().bootstrapServers(), aggregateType + ".events")) {
            List<ConsumerRecord<String, String>> seen = reader.until(r -> r.size() >= 2, Duration.ofSeconds(60));
            ConsumerRecord<String, String> a = seen.stream().filter(r -> "k-1".equals(r.key())).findFirst().orElseThrow();
            ConsumerRecord<String, String> b = seen.stream().filter(r -> "k-2".equals(r.key())).findFirst().orElseThrow();

            SpanData publish = span(traced);
            assertThat(publish.getName()).isEqualTo("publish " + aggregateType + ".events");
            assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(publish.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(publish.getParentSpanId()).isEqualTo(WRITE_SPAN_ID);
            assertThat(TopicReader.header(a, "traceparent")).isEqualTo("00-" + TRACE_ID + "-" + publish.getSpanId() + "-01");
            assertThat(a.headers().headers("traceparent")).hasSize(1);

            SpanData root = span(untraced);
            assertThat(root.getParentSpanContext().isValid()).as("a row written without a trace starts one").isFalse();
            assertThat(TopicReader.header(b, "traceparent")).isEqualTo("00-" + root.getTraceId() + "-" + root.getSpanId() + "-01");
        }
    }

    private SpanData span(UUID eventId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> eventId.toString().equals(s.getAttributes().get(
                        io.opentelemetry.api.common.AttributeKey.stringKey("saga.event.id"))))
                .findFirst().orElse(null), s -> s != null);
    }
}
