package dev.ordersaga.order.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the console reads from Kafka itself: one record at a topic, partition and offset, and the consumer groups'
 * lag. Every call is bounded by {@code ops.kafka.timeout}; an unreachable broker is an exception, never a wait.
 */
@ApplicationScoped
public class KafkaOps {

    /** The consumer groups of the saga: one per service (order-app reads three topics under one group). */
    public static final List<String> GROUPS = List.of("order-app", "inventory-app", "coupon-app");

    public record Record(String topic, int partition, long offset, String key, Map<String, String> headers, String value,
                         String timestamp, String timestampType) {
    }

    public record Lag(String group, String topic, int partition, long committed, long end, long lag) {
    }

    private final String bootstrap;
    private final Duration timeout;
    /** A consumer per read, each with its own client id: two at once would collide in JMX registration. */
    private final AtomicLong reads = new AtomicLong();
    private volatile Admin admin;

    public KafkaOps(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                    @ConfigProperty(name = "ops.kafka.timeout", defaultValue = "5s") Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    /** The record at that place, or empty if the partition has none there (never written, deleted, a marker). */
    public Optional<Record> read(String topic, int partition, long offset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        // committed records only, as the services' consumers see them
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "order-app-console-" + reads.incrementAndGet());
        // looking at a topic that does not exist must not create it
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, left(deadline));
            if (partitions == null || partitions.stream().noneMatch(i -> i.partition() == partition)) {
                return Optional.empty();
            }
            TopicPartition tp = new TopicPartition(topic, partition);
            long begin = consumer.beginningOffsets(List.of(tp), left(deadline)).get(tp);
            long end = consumer.endOffsets(List.of(tp), left(deadline)).get(tp);
            if (offset < begin || offset >= end) {
                return Optional.empty();
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            while (Instant.now().isBefore(deadline)) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.between(Instant.now(), deadline).plusMillis(1));
                for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
                    if (r.offset() == offset) {
                        return Optional.of(describe(r));
                    }
                    // past it: the offset held a transaction marker or a compacted record
                    return Optional.empty();
                }
                if (consumer.position(tp, left(deadline)) > offset) {
                    return Optional.empty();
                }
            }
            throw new org.apache.kafka.common.errors.TimeoutException("no record within " + timeout.toMillis() + " ms");
        }
    }

    /** Each step gets the time left before the read's deadline, not a whole timeout of its own. */
    private static Duration left(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    static Record describe(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new Record(r.topic(), r.partition(), r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                headers, r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                // -1: a record written without a timestamp, not one of 1969
                r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()).toString(), r.timestampType().name);
    }

    /** Per group and partition: committed offset, end offset, and the difference (records not yet applied). */
    public List<Lag> lag() throws Exception {
        Admin a = admin();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> offsets = a.listConsumerGroupOffsets(group,
                            new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeout.toMillis()))
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            committed.put(group, offsets);
        }
        Map<TopicPartition, OffsetSpec> wanted = new LinkedHashMap<>();
        committed.values().forEach(m -> m.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        if (!wanted.isEmpty()) {
            a.listOffsets(wanted, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis())).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        }
        List<Lag> lags = new ArrayList<>();
        for (String group : GROUPS) {
            committed.get(group).entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition)))
                    .forEach(e -> {
                        long end = ends.getOrDefault(e.getKey(), e.getValue().offset());
                        lags.add(new Lag(group, e.getKey().topic(), e.getKey().partition(), e.getValue().offset(), end,
                                Math.max(0, end - e.getValue().offset())));
                    });
        }
        return lags;
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties p = new Properties();
                    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "order-app-console-admin");
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
                    admin = Admin.create(p);
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
