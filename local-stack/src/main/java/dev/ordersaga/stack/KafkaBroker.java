package dev.ordersaga.stack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A real single-node Kafka (combined broker and KRaft controller) from the Kafka jars. */
final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private KafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static KafkaBroker start(Path logDir, int port, int controllerPort) throws IOException {
        return start(logDir, port, controllerPort, null);
    }

    /**
     * @param cuttable for fault tests, or null: a second listener on {@code cuttable.listen()} that advertises
     *                 {@code cuttable.advertised()}, where a {@link FreezableProxy} forwards to it, so that every
     *                 connection of a client bootstrapped there (metadata included) goes through the proxy
     */
    static KafkaBroker start(Path logDir, int port, int controllerPort, Cuttable cuttable) throws IOException {
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String extra = cuttable == null ? "" : ",CUTTABLE://127.0.0.1:" + cuttable.listen();
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + extra);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port
                + (cuttable == null ? "" : ",CUTTABLE://127.0.0.1:" + cuttable.advertised()));
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (cuttable == null ? "" : ",CUTTABLE:PLAINTEXT"));
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // a developer box: keep a week or 1 GiB per partition, whichever comes first
        props.put("log.retention.hours", "168");
        props.put("log.retention.bytes", Long.toString(1L << 30));

        Path propsFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "written by the local stack");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            String[] format = {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted"};
            int rc = StorageTool.execute(format, new PrintStream(OutputStream.nullOutputStream()));
            if (rc != 0) {
                throw new IOException("formatting the Kafka log directory " + logDir + " failed with " + rc);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(server, port);
        broker.createTopics(CONTRACT_TOPICS, 6);
        return broker;
    }

    /**
     * The topics of the event contract (dev.ordersaga.events.Topics), created up front: a consumer that
     * subscribes before a topic exists would otherwise wait for a metadata refresh to see it.
     */
    static final List<String> CONTRACT_TOPICS = List.of("orders.events", "inventory.events", "coupons.events");

    void createTopics(List<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            var existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating topics " + names + " failed", e);
        }
    }

    /** The ports of the fault tests' second listener: where it listens, and where its proxy does. */
    record Cuttable(int listen, int advertised) {
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
