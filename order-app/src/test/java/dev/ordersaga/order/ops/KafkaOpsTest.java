package dev.ordersaga.order.ops;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the console shows a record it read, without a broker. */
class KafkaOpsTest {

    private static ConsumerRecord<byte[], byte[]> record(long timestamp, TimestampType type) {
        return new ConsumerRecord<>("orders.events", 0, 7L, timestamp, type, 1, 2, "k".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    }

    @Test
    void aRecordWithoutATimestampHasNoneNot1969() {
        assertThat(KafkaOps.describe(record(ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE)).timestamp()).isNull();
        assertThat(KafkaOps.describe(record(1_796_346_000_000L, TimestampType.CREATE_TIME)).timestamp()).isEqualTo("2026-12-04T01:00:00Z");
    }
}
