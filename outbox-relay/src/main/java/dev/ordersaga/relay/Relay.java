package dev.ordersaga.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Starts one engine per configured source and stops the process if any of them dies. */
@ApplicationScoped
public class Relay {

    private final RelayConfig config;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final List<SourceEngine> engines = new ArrayList<>();
    private KafkaPublisher publisher;

    public Relay(RelayConfig config, MeterRegistry metrics,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.metrics = metrics;
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
        publisher = new KafkaPublisher(bootstrapServers, config.producer(), metrics);
        sources.forEach(s -> engines.add(new SourceEngine(s, publisher, this::failed)));
        // fail the start, and so the process, before streaming anything if a slot is missing
        engines.forEach(SourceEngine::checkSlot);
        for (SourceEngine engine : engines) {
            Gauge.builder("relay.engine.up", engine, e -> e.state() == SourceEngine.State.RUNNING ? 1 : 0)
                    .description("1 while the source's engine streams, 0 when starting, stopped or failed")
                    .tag("source", engine.source().name()).register(metrics);
            engine.start(properties(engine.source()));
        }
    }

    List<SourceEngine> engines() {
        return engines;
    }

    Properties properties(Source source) {
        Properties p = new Properties();
        p.put("name", "outbox-" + source.name());
        p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
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
        p.put("table.include.list", "public.outbox,public.outbox_heartbeat");
        p.put("snapshot.mode", "no_data");
        p.put("tombstones.on.delete", "false");
        // an idle outbox beside a busy database must not pin WAL: write a row the slot can confirm
        p.put("heartbeat.interval.ms", "10000");
        p.put("heartbeat.action.query", "UPDATE outbox_heartbeat SET beat_at = now() WHERE id = 1");
        // offsets live in Postgres, so a replacement relay resumes where the last one stopped
        p.put("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.put("offset.storage.jdbc.connection.url", source.jdbcUrl(config.offsetsDatabase()));
        p.put("offset.storage.jdbc.connection.user", source.user());
        p.put("offset.storage.jdbc.connection.password", source.password());
        p.put("offset.storage.jdbc.offset.table.name", "relay_offsets_" + source.name());
        p.put("offset.flush.interval.ms", "1000");
        // latency and throughput (see the README's tuning notes): poll often, move large batches
        p.put("poll.interval.ms", "10");
        p.put("max.batch.size", "8192");
        p.put("max.queue.size", "32768");
        config.debezium().forEach(p::put);
        return p;
    }

    private void failed(SourceEngine engine) {
        if (!config.exitOnFailure()) {
            return;
        }
        Log.errorf("outbox-relay exits with status 1 because the engine of %s stopped; restart it to resume from the stored offset",
                engine.source().describe());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException ignored) {
                // halting anyway
            }
            Runtime.getRuntime().halt(1);
        }, "relay-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Quarkus.asyncExit(1);
    }

    void onStop(@Observes ShutdownEvent ev) {
        engines.forEach(SourceEngine::close);
        if (publisher != null) {
            publisher.close();
        }
    }
}
