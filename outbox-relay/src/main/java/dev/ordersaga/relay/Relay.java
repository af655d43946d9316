package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.relay.connector.QuietPostgresConnector;
import dev.ordersaga.relay.connector.QuietQueueProvider;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Streams each configured source while this replica leads it (see {@link SourceLeader}), each on its own: a source
 * whose engine stops is started again without touching the others.
 */
@ApplicationScoped
public class Relay {

    private final RelayConfig config;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final List<SourceLeader> leaders = new ArrayList<>();
    private final java.util.Map<String, ParkedEvents> parking = new java.util.concurrent.ConcurrentHashMap<>();
    private KafkaPublisher publisher;

    private final io.opentelemetry.api.trace.Tracer tracer;

    public Relay(RelayConfig config, MeterRegistry metrics, io.opentelemetry.api.trace.Tracer tracer,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.metrics = metrics;
        this.tracer = tracer;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent ev) {
        List<Source> sources = new ArrayList<>();
        config.databases().orElse(List.of()).stream().map(String::trim).filter(d -> !d.isEmpty())
                .forEach(d -> sources.add(Source.of(d, config.db())));
        config.sources().forEach((name, s) -> sources.add(Source.from(name, s, config.db())));
        if (sources.isEmpty()) {
            throw new IllegalStateException("no relay.databases or relay.sources configured: nothing to relay");
        }
        String instance = config.instanceId().map(String::trim).filter(s -> !s.isEmpty()).orElseGet(Relay::defaultInstanceId);
        boolean tracing = config.tracingEndpoint().filter(e -> !e.isBlank()).isPresent();
        publisher = new KafkaPublisher(bootstrapServers, config.producer(), metrics, tracing ? tracer : null);
        for (Source s : sources) {
            leaders.add(new SourceLeader(s, instance, config.leader(), this::startEngine, this::halt));
        }
        for (SourceLeader leader : leaders) {
            String source = leader.source().name();
            Gauge.builder("relay.engine.up", leader, l -> l.state() == SourceEngine.State.RUNNING ? 1 : 0)
                    .description("1 while the source's engine streams, 0 when standby, starting, stopped or failed")
                    .tag("source", source).register(metrics);
            Gauge.builder("relay.leader", leader, l -> l.role() == SourceLeader.Role.ACTIVE ? 1 : 0)
                    .description("1 while this replica holds the source's lock (active), 0 while it is a standby")
                    .tag("source", source).register(metrics);
            FunctionCounter.builder("relay.takeovers", leader, SourceLeader::takeovers)
                    .description("Times this replica took the source's lock and became active (its first start counts)")
                    .tag("source", source).register(metrics);
            FunctionCounter.builder("relay.engine.restarts", leader, SourceLeader::restarts)
                    .description("Engine starts after the source's engine stopped or its slot was refused")
                    .tag("source", source).register(metrics);
        }
        Log.infof("outbox-relay instance %s: %d source(s); each is streamed by the replica holding its advisory lock",
                instance, leaders.size());
        // a replica that takes a lock now and finds the slot missing fails the start before streaming anything
        leaders.forEach(SourceLeader::firstAttempt);
        leaders.forEach(SourceLeader::startTicking);
        leaders.stream().filter(l -> l.role() == SourceLeader.Role.STANDBY).findFirst().ifPresent(this::warmUp);
    }

    private SourceLeader.Engine startEngine(Source source) {
        SourceEngine engine = new SourceEngine(source, publisher, parking.computeIfAbsent(source.name(),
                n -> new ParkedEvents(source, config.offsetsDatabase(), metrics)));
        engine.start(properties(source));
        return engine;
    }

    /** A standby loads what an engine start needs now, so that a take-over does not wait for it. */
    private void warmUp(SourceLeader standby) {
        Thread t = new Thread(() -> {
            try {
                SourceEngine.warmUp(properties(standby.source()));
            } catch (RuntimeException | LinkageError e) {
                Log.warnf("warming up an engine for %s failed (a take-over will be slower): %s",
                        standby.source().describe(), e.toString());
            }
        }, "relay-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Hostname and pid: unique per replica on one host, and the pod name in Kubernetes. */
    static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    List<SourceLeader> leaders() {
        return leaders;
    }

    Properties properties(Source source) {
        Properties p = new Properties();
        p.put("name", "outbox-" + source.name());
        // Debezium's Postgres connector with its two idle waits changed (QuietPostgresConnector)
        p.put("connector.class", QuietPostgresConnector.class.getName());
        p.put("plugin.name", "pgoutput");
        p.put("database.hostname", source.host());
        p.put("database.port", Integer.toString(source.port()));
        p.put("database.user", source.user());
        p.put("database.password", source.password());
        p.put("database.dbname", source.database());
        p.put("topic.prefix", source.name());
        // slot and publication come from the service's migrations, never from the relay
        p.put("slot.name", source.slot());
        p.put("publication.name", source.publication());
        p.put("publication.autocreate.mode", "disabled");
        p.put("slot.drop.on.stop", "false");
        // after a take-over the killed leader's walsender may hold the slot a moment longer ("slot is active"):
        // retry every second rather than Debezium's 10 s, with the same patience in total (RelayFailoverIT saw 11.8 s)
        p.put("slot.retry.delay.ms", "1000");
        p.put("slot.max.retries", "60");
        p.put("table.include.list", "public.outbox,public.outbox_heartbeat");
        p.put("column.exclude.list", OutboxSchema.UNPUBLISHED_COLUMNS);
        p.put("snapshot.mode", "no_data");
        p.put("tombstones.on.delete", "false");
        // an idle outbox beside a busy database must not pin WAL: write a row the slot can confirm
        p.put("heartbeat.interval.ms", "5000");
        p.put("heartbeat.action.query", OutboxSchema.HEARTBEAT_QUERY);
        // offsets live in Postgres, so a replacement relay resumes where the last one stopped
        p.put("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.put("offset.storage.jdbc.connection.url", source.jdbcUrl(config.offsetsDatabase()));
        p.put("offset.storage.jdbc.connection.user", source.user());
        p.put("offset.storage.jdbc.connection.password", source.password());
        p.put("offset.storage.jdbc.offset.table.name", OutboxSchema.relayOffsetsTable(source.name()));
        p.put("offset.flush.interval.ms", "1000");
        // latency and throughput (see the README's tuning notes): poll often, move large batches
        p.put("poll.interval.ms", "10");
        p.put("max.batch.size", "8192");
        // Debezium's queue, without its idle spin (QuietQueueProvider)
        p.put("queue.provider.type", QuietQueueProvider.NAME);
        p.put("max.queue.size", "32768");
        // and a bound in bytes, which the record count alone is not: 32k outbox rows of 10 kB would be 320 MB
        // per source. With the producer's buffer (KafkaPublisher) this bounds what a backlog drain holds.
        p.put("max.queue.size.in.bytes", Long.toString(32L * 1024 * 1024));
        config.debezium().forEach(p::put);
        return p;
    }

    /** A fenced engine that does not stop may still publish: end the process now, no shutdown hooks. */
    private void halt() {
        if (config.exitOnFailure()) {
            Runtime.getRuntime().halt(1);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        leaders.forEach(SourceLeader::close);
        if (publisher != null) {
            publisher.close();
        }
    }
}
