package dev.ordersaga.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 * headers {@code id} and {@code eventType}; Debezium's internal headers never leave the relay.
 */
final class KafkaPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final MeterRegistry metrics;
    private final Map<String, Counter> relayed = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    KafkaPublisher(String bootstrapServers, Map<String, String> overrides, MeterRegistry metrics) {
        this.metrics = metrics;
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
        RecordHeaders headers = new RecordHeaders();
        for (Header h : routed.headers()) {
            if (!h.key().startsWith("__debezium")) {
                headers.add(h.key(), h.value() == null ? null : bytes(h.value()));
            }
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(routed.topic(), null,
                routed.key() == null ? null : bytes(routed.key()),
                routed.value() == null ? null : bytes(routed.value()), headers);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
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
