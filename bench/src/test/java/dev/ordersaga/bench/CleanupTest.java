package dev.ordersaga.bench;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the bench makes on a stack (as on a `make run` stack) is gone when it ends. */
class CleanupTest {

    private final StackEndpoints stack = TestStack.shared();

    @Test
    void removesTheSourceDatabaseItsSlotTheRelayOffsetsAndTheTopics() throws Exception {
        Cleanup cleanup = new Cleanup(stack);
        BenchDb db = new BenchDb(stack, "bench", cleanup);
        String offsets = OutboxSchema.relayOffsetsTable(db.name);
        // what the relay makes for the source on its first offset commit
        try (Connection c = stack.connect(Service.OUTBOX_RELAY.database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + offsets + " (id varchar(36) PRIMARY KEY)");
        }
        String topic = "cleanup" + UUID.randomUUID().toString().substring(0, 8) + ".events";
        String neverMade = "nevermade" + UUID.randomUUID().toString().substring(0, 8) + ".events";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        cleanup.topic(topic);
        cleanup.topic(neverMade);
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'outbox_" + db.name + "'")).isOne();

        String said = cleanup.removeAll();

        assertThat(said).startsWith("bench: removed ").contains("slot outbox_" + db.name, "database " + db.name,
                "table relay." + offsets, "topic " + topic).doesNotContain(neverMade, "could not");
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'outbox_" + db.name + "'")).isZero();
        assertThat(count("SELECT count(*) FROM pg_database WHERE datname = '" + db.name + "'")).isZero();
        try (Connection c = stack.connect(Service.OUTBOX_RELAY.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + offsets + "')")) {
            rs.next();
            assertThat(rs.getString(1)).isNull();
        }
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
        }
        assertThat(cleanup.removeAll()).isEqualTo("bench: removed nothing it created");
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private long count(String sql) throws Exception {
        try (Connection c = stack.connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
