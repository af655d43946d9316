package dev.ordersaga.system;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What {@code kafka-consumer-groups} shows and does, through one Admin client: groups' offsets against the topics' ends. */
final class KafkaOffsets implements AutoCloseable {

    private final Admin admin;

    KafkaOffsets(String bootstrapServers) {
        admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** The offsets a group committed, per partition (null where it committed none). */
    Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    /** The earliest or latest offset of each partition. */
    Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs).all().get().forEach((tp, o) -> ends.put(tp, o.offset()));
        return ends;
    }

    /** Every partition of the topics whose names match. */
    List<TopicPartition> partitions(Predicate<String> topic) throws Exception {
        List<String> topics = admin.listTopics().names().get().stream().filter(topic).toList();
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions()
                .forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        return partitions;
    }

    /** A group at the end of every partition it committed on. */
    boolean caughtUp(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
        Map<TopicPartition, Long> latest = ends(committed.keySet(), OffsetSpec.latest());
        return committed.entrySet().stream().allMatch(e -> e.getValue() != null && e.getValue().offset() >= latest.get(e.getKey()));
    }

    /**
     * What {@code --reset-offsets --to-earliest} does for a group with no live member: false while the group still
     * has one (its stopped members' sessions have not ended), so that the caller tries again.
     */
    boolean resetToEarliest(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
        ends(committed(group).keySet(), OffsetSpec.earliest()).forEach((tp, o) -> reset.put(tp, new OffsetAndMetadata(o)));
        try {
            admin.alterConsumerGroupOffsets(group, reset).all().get();
            return true;
        } catch (java.util.concurrent.ExecutionException stillActive) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
