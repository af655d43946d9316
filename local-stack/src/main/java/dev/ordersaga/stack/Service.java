package dev.ordersaga.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A packaged Quarkus process of this project, as `make run` and the end-to-end tests start it. */
public enum Service {
    ORDER_APP("order-app", "ORDER_APP_PORT", 8080, "orders"),
    INVENTORY_APP("inventory-app", "INVENTORY_APP_PORT", 8081, "inventory"),
    COUPON_APP("coupon-app", "COUPON_APP_PORT", 8082, "coupons"),
    OUTBOX_RELAY("outbox-relay", "OUTBOX_RELAY_PORT", 8083, "relay");

    /** The services write first: their migrations create the replication slots the relay reads. */
    public static final List<Service> START_ORDER = List.of(ORDER_APP, INVENTORY_APP, COUPON_APP, OUTBOX_RELAY);

    public final String module;
    public final String portVariable;
    public final int defaultPort;
    public final String database;

    Service(String module, String portVariable, int defaultPort, String database) {
        this.module = module;
        this.portVariable = portVariable;
        this.defaultPort = defaultPort;
        this.database = database;
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The environment that points a service at a stack; the same names a Kubernetes manifest sets. */
    public Map<String, String> environment(StackEndpoints stack, int httpPort) {
        return Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort),
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(stack.postgresPort()),
                "DB_NAME", database,
                "DB_USER", StackEndpoints.USER,
                "DB_PASSWORD", StackEndpoints.PASSWORD,
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    }
}
