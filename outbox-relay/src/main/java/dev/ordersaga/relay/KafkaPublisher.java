package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends routed outbox records to Kafka as bytes: key = aggregate id, value = the payload JSON as written,
 * headers {@code id}, {@code eventType} and {@code traceparent}; Debezium's internal headers never leave the relay.
 * With a tracer (tracing on), each record is sent in a span "publish &lt;topic&gt;", child of the row's traceparent,
 * and the record's {@code traceparent} header names that span instead; without one, no span is made.
 */
final class KafkaPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final MeterRegistry metrics;
    private final Map<String, Counter> relayed = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    /** Null when tracing is off: then the hot path makes no span at all. */
    private final Tracer tracer;

    KafkaPublisher(String bootstrapServers, Map<String, String> overrides, MeterRegistry metrics) {
        this(bootstrapServers, overrides, metrics, null);
    }

    KafkaPublisher(String bootstrapServers, Map<String, String> overrides, MeterRegistry metrics, Tracer tracer) {
        this.metrics = metrics;
        this.tracer = tracer;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        // never lose or reorder an acknowledged event
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // throughput without giving up latency: a few ms of linger fills batches under load
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // shared by every source; a full buffer makes send() wait, which holds the engines back (bounded memory)
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L * 1024 * 1024));
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Completes when Kafka has acknowledged the record; records commit-to-ack latency then. */
    CompletableFuture<Void> send(String source, SourceRecord routed, long commitEpochMicros) {
        Span span = tracer == null ? null : publishSpan(routed);
        String publishing = span == null ? null : traceparent(span.getSpanContext());
        RecordHeaders headers = new RecordHeaders();
        for (Header h : routed.headers()) {
            if (!h.key().startsWith("__debezium") && !(publishing != null && TRACEPARENT.equals(h.key()))) {
                headers.add(h.key(), h.value() == null ? null : bytes(h.value()));
            }
        }
        if (publishing != null) {
            headers.add(TRACEPARENT, publishing.getBytes(StandardCharsets.UTF_8));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(routed.topic(), null,
                routed.key() == null ? null : bytes(routed.key()),
                routed.value() == null ? null : bytes(routed.value()), headers);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (span != null) {
                if (error != null) {
                    span.recordException(error);
                    span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                } else {
                    span.setAttribute("messaging.destination.partition.id", Integer.toString(metadata.partition()));
                    span.setAttribute("messaging.kafka.offset", metadata.offset());
                }
                span.end();
            }
            if (error != null) {
                acked.completeExceptionally(error);
                return;
            }
            long micros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - commitEpochMicros;
            latency(source).record(Duration.ofNanos(Math.max(0, micros) * 1000));
            relayed(source).increment();
            acked.complete(null);
        });
        return acked;
    }

    /**
     * Sends what is buffered now instead of after {@code linger.ms}, and returns once it is acknowledged or failed
     * (within {@code delivery.timeout.ms}): the end of a batch has nothing more to wait for.
     */
    void flush() {
        producer.flush();
    }

    private static final String TRACEPARENT = OutboxSchema.TRACEPARENT;

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return TRACEPARENT.equals(key) ? traceparent : null;
        }
    };

    /** A span for one record, child of the traceparent the row was written with (a new trace if none or malformed). */
    private Span publishSpan(SourceRecord routed) {
        Header written = routed.headers().lastWithName(TRACEPARENT);
        Context parent = written == null || written.value() == null
                ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), written.value().toString().trim(), ONE_VALUE);
        Header id = routed.headers().lastWithName("id");
        Header type = routed.headers().lastWithName("eventType");
        return tracer.spanBuilder("publish " + routed.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", routed.topic())
                .setAttribute("saga.event.id", id == null ? null : String.valueOf(id.value()))
                .setAttribute("saga.event.type", type == null ? null : String.valueOf(type.value()))
                .setAttribute("saga.order.id", routed.key() == null ? null : routed.key().toString())
                .startSpan();
    }

    private static String traceparent(SpanContext context) {
        return context.isValid()
                ? "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex()
                : null;
    }

    private Counter relayed(String source) {
        return relayed.computeIfAbsent(source, s -> Counter.builder("relay.events.relayed")
                .description("Outbox events acknowledged by Kafka").tag("source", s).register(metrics));
    }

    private Timer latency(String source) {
        return latency.computeIfAbsent(source, s -> Timer.builder("relay.commit.to.ack")
                .description("Source transaction commit to Kafka acknowledgement")
                .tag("source", s)
                // buckets only: Prometheus computes quantiles; client-side percentiles cost CPU on every record
                .publishPercentileHistogram()
                .register(metrics));
    }

    private static byte[] bytes(Object value) {
        return (value instanceof byte[] b) ? b : value.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
