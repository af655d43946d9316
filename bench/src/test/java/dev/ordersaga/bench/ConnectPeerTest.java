package dev.ordersaga.bench;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bench's peer publishes what the relay publishes (topic, key, headers, value): the comparison is like for like. */
class ConnectPeerTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final StackEndpoints stack = TestStack.shared();

    @Test
    void kafkaConnectWithDebeziumRoutesTheOutboxAsTheRelayDoes(@org.junit.jupiter.api.io.TempDir Path logs) throws Exception {
        try (Cleanup cleanup = new Cleanup(stack)) {
            BenchDb db = new BenchDb(stack, "peer", cleanup);
            String type = "peer" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
            cleanup.topic(type + ".events");
            cleanup.topic(ConnectPeer.heartbeatTopic(db.name));
            Map<String, String> written = new ConcurrentHashMap<>();
            UUID traced = UUID.randomUUID();
            try (Connection c = db.connect()) {
                for (int i = 0; i < 5; i++) {
                    written.put(BenchDb.insert(c, type, "agg-" + i, BenchDb.payload(i)).toString(), "agg-" + i);
                }
                try (var ps = c.prepareStatement("INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, traceparent) "
                        + "VALUES (?, ?, 'agg-traced', 'BenchEvent', CAST(? AS jsonb), ?)")) {
                    ps.setObject(1, traced);
                    ps.setString(2, type);
                    ps.setString(3, BenchDb.payload(5));
                    ps.setString(4, TRACEPARENT);
                    ps.executeUpdate();
                }
                written.put(traced.toString(), "agg-traced");
                c.commit();
            }
            Map<String, ConsumerRecord<String, byte[]>> received = new ConcurrentHashMap<>();
            AppProcess peer = ConnectPeer.start(stack, db.name, logs);
            try (Topic topic = new Topic(stack.bootstrapServers(), type + ".events",
                    r -> received.put(header(r, "id"), r))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> received.keySet().containsAll(written.keySet()));
            } finally {
                peer.close();
            }
            assertThat(received).hasSize(6);
            received.forEach((id, r) -> {
                assertThat(r.key()).isEqualTo(written.get(id));
                assertThat(header(r, "eventType")).isEqualTo("BenchEvent");
                // as the relay (RelayTest): the column as written, a NULL one as a header with a null value
                assertThat(r.headers().lastHeader("traceparent")).isNotNull();
                assertThat(header(r, "traceparent")).isEqualTo(id.equals(traced.toString()) ? TRACEPARENT : null);
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("{").contains("\"pad\"");
            });
            assertThat(List.copyOf(received.values()).get(0).topic()).isEqualTo(type + ".events");
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
