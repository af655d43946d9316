package dev.ordersaga.bench;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Ports;
import dev.ordersaga.stack.RepoRoot;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The peer that {@code BENCH_PEERS=connect} measures the relay against: Kafka Connect standalone with the Debezium
 * Postgres connector (pgoutput) and Debezium's outbox EventRouter, on the same slot, publication, routing and producer
 * settings as the relay, and tuned as the best peer was measured ({@code poll.interval.ms} 10, {@code max.batch.size}
 * 8192). Its jars are the Maven Central artifacts the relay ships (connect-runtime, debezium-connector-postgres, the
 * same versions), so the two differ only in what runs around the connector.
 */
final class ConnectPeer {

    static final String CONNECTOR = "outbox-peer";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ConnectPeer() {
    }

    /** Starts the peer on one source database and returns once its task runs (3 minutes at most). */
    static AppProcess start(StackEndpoints stack, String database, Path logs) throws IOException {
        Path repo = RepoRoot.find().orElseThrow();
        Path lib = Service.OUTBOX_RELAY.jar(repo).getParent().resolve("lib/main");
        String classpath;
        try (Stream<Path> jars = Files.list(lib)) {
            classpath = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.joining(":"));
        }
        int rest = Ports.free();
        Path dir = logs.resolve("connect-" + database);
        Files.createDirectories(dir);
        // the relay's database account (it may replicate)
        Map<String, String> env = Service.OUTBOX_RELAY.environment(stack, rest);

        Map<String, String> worker = new LinkedHashMap<>();
        worker.put("bootstrap.servers", stack.bootstrapServers());
        worker.put("listeners", "http://127.0.0.1:" + rest);
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        // the relay's settings (Relay, KafkaPublisher), so that the harness is what differs
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("producer.acks", "all");
        worker.put("producer.enable.idempotence", "true");
        worker.put("producer.linger.ms", "5");
        worker.put("producer.batch.size", Integer.toString(256 * 1024));
        worker.put("producer.compression.type", "lz4");

        Map<String, String> connector = new LinkedHashMap<>();
        connector.put("name", CONNECTOR);
        connector.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        connector.put("tasks.max", "1");
        connector.put("plugin.name", "pgoutput");
        connector.put("database.hostname", env.get("DB_HOST"));
        connector.put("database.port", env.get("DB_PORT"));
        connector.put("database.user", env.get("DB_USER"));
        connector.put("database.password", env.get("DB_PASSWORD"));
        connector.put("database.dbname", database);
        connector.put("topic.prefix", topicPrefix(database));
        connector.put("slot.name", OutboxSchema.slotName(database));
        connector.put("publication.name", OutboxSchema.PUBLICATION);
        connector.put("publication.autocreate.mode", "disabled");
        connector.put("table.include.list", "public." + OutboxSchema.OUTBOX_TABLE + ",public." + OutboxSchema.HEARTBEAT_TABLE);
        connector.put("column.exclude.list", OutboxSchema.UNPUBLISHED_COLUMNS);
        connector.put("snapshot.mode", "no_data");
        connector.put("tombstones.on.delete", "false");
        connector.put("heartbeat.interval.ms", "5000");
        connector.put("heartbeat.action.query", OutboxSchema.HEARTBEAT_QUERY);
        connector.put("poll.interval.ms", "10");
        connector.put("max.batch.size", "8192");
        connector.put("max.queue.size", "32768");
        connector.put("transforms", "outbox");
        connector.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        connector.put("transforms.outbox.route.topic.replacement", "${routedByValue}.events");
        connector.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType,traceparent:header:traceparent");
        connector.put("transforms.outbox.table.expand.json.payload", "false");

        Path workerFile = write(dir.resolve("worker.properties"), worker);
        Path connectorFile = write(dir.resolve("connector.properties"), connector);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.apache.kafka.connect.cli.ConnectStandalone", workerFile.toString(),
                connectorFile.toString()));
        AppProcess peer = AppProcess.launch("kafka-connect-" + rest, command, Map.of(), logs, rest, rest);
        try {
            URI status = URI.create("http://127.0.0.1:" + rest + "/connectors/" + CONNECTOR + "/status");
            Awaitility.await("Kafka Connect's task running (see " + peer.log() + ")").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("Kafka Connect exited, see " + peer.log(), () -> !peer.process().isAlive())
                    .until(() -> taskRunning(status));
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** Debezium's heartbeat records go to {@code __debezium-heartbeat.<prefix>}, a topic the bench removes after. */
    static String heartbeatTopic(String database) {
        return "__debezium-heartbeat." + topicPrefix(database);
    }

    private static String topicPrefix(String database) {
        return "peer_" + database;
    }

    private static boolean taskRunning(URI status) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // {"name":..,"connector":{"state":"RUNNING",..},"tasks":[{"id":0,"state":"RUNNING",..}],..}
            String body = r.body().replaceAll("\\s", "");
            int tasks = body.indexOf("\"tasks\":[");
            return r.statusCode() == 200 && tasks >= 0 && body.indexOf("\"state\":\"RUNNING\"", tasks) > 0;
        } catch (IOException notListening) {
            return false;
        }
    }

    private static Path write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(file, text.toString());
    }
}
