package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    /**
     * The usual case: source databases by name, all on {@link #db()}, each source named after its database
     * (env {@code RELAY_DATABASES=orders,inventory,coupons}).
     */
    Optional<List<String>> databases();

    /** Sources that need their own host, port or slot; the key names the source in logs, metrics and offsets. */
    Map<String, Source> sources();

    /** Connection shared by the sources unless a source overrides it. */
    Connection db();

    /** The database that keeps the engines' offsets (one table per source). */
    @WithDefault("relay")
    String offsetsDatabase();

    /**
     * Halt the process when a fenced engine (this replica lost its lock) does not stop within
     * {@code relay.leader.stop-timeout}, so that nothing stale is published. Off only in tests, which run in one JVM.
     */
    @WithDefault("true")
    boolean exitOnFailure();

    /**
     * This replica's name in logs, health and {@code pg_stat_activity} (env {@code RELAY_INSTANCE_ID}); default
     * hostname and pid, which in Kubernetes is the pod name.
     */
    Optional<String> instanceId();

    /** Hot standby: which replica streams a source is decided by an advisory lock in the source database. */
    Leader leader();

    /** Debezium properties applied to every engine, e.g. {@code relay.debezium."poll.interval.ms"=10}. */
    Map<String, String> debezium();

    /** Kafka producer properties, e.g. {@code relay.producer."linger.ms"=5}. */
    Map<String, String> producer();

    /**
     * Where the traces go (env {@code OTEL_EXPORTER_OTLP_ENDPOINT}, the exporter's own setting too). Only when it is
     * set does the relay start a publish span per record; blank, the hot path creates none.
     */
    @io.smallrye.config.WithName("tracing.endpoint")
    Optional<String> tracingEndpoint();

    interface Leader {
        /** How often a standby tries the lock and the leader checks it still holds it. */
        @WithDefault("1s")
        java.time.Duration checkInterval();

        /** Connect, socket read and query timeout of the lock connection: a half-open connection fails a check. */
        @WithDefault("3s")
        java.time.Duration timeout();

        /** A leader that lost its lock must stop its engine within this, or the process ends. */
        @WithDefault("5s")
        java.time.Duration stopTimeout();
    }

    interface Source {
        String database();

        Optional<String> host();

        Optional<Integer> port();

        /** Defaults to {@code outbox_<database>}, the slot the outbox migrations create. */
        Optional<String> slot();

        @WithDefault(OutboxSchema.PUBLICATION)
        String publication();
    }

    interface Connection {
        @WithDefault("localhost")
        String host();

        @WithDefault("15432")
        int port();

        @WithDefault("postgres")
        String user();

        @WithDefault("postgres")
        String password();
    }
}
