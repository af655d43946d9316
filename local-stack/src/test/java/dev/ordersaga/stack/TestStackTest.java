package dev.ordersaga.stack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStackTest {

    private final StackEndpoints stack = TestStack.shared();

    @Test
    void postgresIsDurableAndReadyForLogicalDecoding() throws Exception {
        try (Connection c = stack.connect("orders");
             Statement s = c.createStatement()) {
            assertThat(show(s, "wal_level")).isEqualTo("logical");
            assertThat(show(s, "fsync")).isEqualTo("on");
            assertThat(show(s, "synchronous_commit")).isEqualTo("on");
            assertThat(show(s, "server_version")).startsWith("17.");

            String table = "t_" + UUID.randomUUID().toString().replace("-", "");
            s.execute("CREATE TABLE " + table + " (id int primary key, v text)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'written')");
            try (ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("written");
            }
        }
    }

    @Test
    void walKeptForASlotIsBounded() throws Exception {
        try (Connection c = stack.connect("postgres");
             Statement s = c.createStatement()) {
            assertThat(show(s, "max_slot_wal_keep_size")).isEqualTo("1GB");
        }
    }

    @Test
    void everyServiceDatabaseExists() throws Exception {
        for (String db : StackEndpoints.DATABASES) {
            try (Connection c = stack.connect(db);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(db);
            }
        }
    }

    @Test
    void aServiceRoleReachesItsOwnDatabaseOnly() throws Exception {
        for (Service service : List.of(Service.ORDER_APP, Service.INVENTORY_APP, Service.COUPON_APP)) {
            try (Connection c = as(service.dbUser, service.dbPassword(), service.database); Statement s = c.createStatement()) {
                assertThat(show(s, "is_superuser")).isEqualTo("off");
                s.executeQuery("SELECT count(*) FROM outbox").close(); // its own tables, made as its role
            }
            for (Service other : Service.values()) {
                if (other != service) {
                    assertThatThrownBy(() -> as(service.dbUser, service.dbPassword(), other.database).close())
                            .as("%s into %s", service.dbUser, other.database).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                }
            }
        }
    }

    @Test
    void theRelayReadsTheOutboxButNoBusinessTable() throws Exception {
        Service relay = Service.OUTBOX_RELAY;
        try (Connection c = as(relay.dbUser, relay.dbPassword(), "orders"); Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM outbox").close();
            assertThat(s.executeUpdate("UPDATE outbox_heartbeat SET beat_at = now() WHERE id = 1")).isEqualTo(1);
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM inbox")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM outbox")).hasMessageContaining("permission denied");
        }
        try (Connection c = as(relay.dbUser, relay.dbPassword(), "orders"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolreplication FROM pg_roles WHERE rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
        // its slots exist from the start, made after the publication (the services' roles cannot make them)
        try (Connection c = stack.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name IN "
                     + "('outbox_orders', 'outbox_inventory', 'outbox_coupons')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void noConnectionWithoutTheRightPassword() {
        assertThatThrownBy(() -> as("postgres", "", "orders").close()).hasMessageContaining("password");
        assertThatThrownBy(() -> as("postgres", "wrong", "orders").close()).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> as(Service.ORDER_APP.dbUser, "wrong", "orders").close())
                .hasMessageContaining("password authentication failed");
    }

    private Connection as(String user, String password, String database) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return new org.postgresql.Driver().connect(stack.jdbcUrl(database), p);
    }

    @Test
    void kafkaRoundTripsARecord() throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        String value = "hello " + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k-1", value)).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (seen.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).key()).isEqualTo("k-1");
            assertThat(seen.get(0).value()).isEqualTo(value);
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
