package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies what a consumer parked (in {@code parked_event}, where replay and skip work) to {@code <consumer>.<topic>.dlq}
 * for Kafka-side tooling: same key, same headers, the bytes as they came, plus {@code dead-letter-*} headers saying
 * why and from where. A send is confirmed by the broker before the consumer moves on; a failed send is retried by the
 * caller. Written by hand because the connector's own dead-letter strategy works on whole batches and knows only the
 * exception.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";

    private final String bootstrapServers;
    private final MeterRegistry metrics;
    private volatile KafkaProducer<String, byte[]> producer;

    public DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry metrics) {
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
    }

    public static String topicFor(String consumer, String topic) {
        return consumer + "." + topic + ".dlq";
    }

    /** Copies the parked delivery with its reason to the dead-letter topic; returns once the broker has it. */
    void park(String consumer, ParkedEvents.Parking p) {
        ProducerRecord<String, byte[]> parked = new ProducerRecord<>(topicFor(consumer, p.topic()), p.orderId(),
                p.payload());
        p.headers().forEach((key, value) -> parked.headers().add(key, value == null ? null : bytes(value)));
        parked.headers()
                .add(REASON, bytes(p.reason()))
                .add("dead-letter-consumer", bytes(consumer))
                .add("dead-letter-topic", bytes(p.topic()))
                .add("dead-letter-partition", bytes(Integer.toString(p.partition())))
                .add("dead-letter-offset", bytes(Long.toString(p.offset())));
        String what = "event " + p.eventId() + " (type " + p.type() + ", order " + p.orderId() + ", " + p.topic() + "-"
                + p.partition() + "@" + p.offset() + ")";
        try {
            producer().send(parked).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not copy " + what + " to " + parked.topic() + ": " + e, e);
        }
        metrics.counter("inbox.events", "consumer", consumer, "outcome", "parked").increment();
        Log.errorf("%s parked %s (copy on %s): %s", consumer, what, parked.topic(), p.reason());
    }

    static String describe(ConsumerRecord<String, ?> record) {
        return "event " + InboundDeserializer.header(record.headers(), Topics.ID_HEADER) + " (type "
                + InboundDeserializer.header(record.headers(), Topics.TYPE_HEADER) + ", order " + record.key() + ", "
                + record.topic() + "-" + record.partition() + "@" + record.offset() + ")";
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000,
                            ProducerConfig.CLIENT_ID_CONFIG, "dead-letters"),
                            new StringSerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
