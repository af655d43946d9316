package dev.ordersaga.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A packaged Quarkus process of this project, as `make run` and the end-to-end tests start it. */
public enum Service {
    ORDER_APP("order-app", "ORDER_APP_PORT", 8080, "orders", "order_app"),
    INVENTORY_APP("inventory-app", "INVENTORY_APP_PORT", 8081, "inventory", "inventory_app"),
    COUPON_APP("coupon-app", "COUPON_APP_PORT", 8082, "coupons", "coupon_app"),
    OUTBOX_RELAY("outbox-relay", "OUTBOX_RELAY_PORT", 8083, "relay", "relay");

    /** The services write first: their migrations create the replication slots the relay reads. */
    public static final List<Service> START_ORDER = List.of(ORDER_APP, INVENTORY_APP, COUPON_APP, OUTBOX_RELAY);

    /**
     * JVM options, the same for `make run`, the end-to-end tests and the benchmark; extra ones from
     * {@code SERVICE_JVM_OPTS} (space separated) are appended. On a 2-core box shared by four JVMs, Kafka and
     * Postgres, C2 compilation of the three apps took a third of their CPU for minutes: they run on C1 only here
     * (measured in the README). The relay keeps C2: its hot loop is where the throughput is.
     */
    public List<String> jvmArgs() {
        // the relay's heap from a measured three-source backlog drain (make bench, drain3-large: live heap ~240 MB);
        // an OutOfMemoryError ends the process, which the supervisor restarts, instead of leaving dead threads behind
        List<String> args = new java.util.ArrayList<>(List.of(this == OUTBOX_RELAY ? "-Xmx512m" : "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError"));
        if (this != OUTBOX_RELAY) {
            args.add("-XX:TieredStopAtLevel=1");
        }
        String extra = System.getenv("SERVICE_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            args.addAll(List.of(extra.trim().split("\\s+")));
        }
        return args;
    }

    public final String module;
    public final String portVariable;
    public final int defaultPort;
    public final String database;
    /** The Postgres role the service connects as: it owns the service's database and nothing else (Postgres). */
    public final String dbUser;

    Service(String module, String portVariable, int defaultPort, String database, String dbUser) {
        this.module = module;
        this.portVariable = portVariable;
        this.defaultPort = defaultPort;
        this.database = database;
        this.dbUser = dbUser;
    }

    /** The role's password on the local stack (a local development secret; a cluster takes it from a Secret). */
    public String dbPassword() {
        return dbUser + "-local";
    }

    /** The service whose database this is. */
    public static java.util.Optional<Service> owning(String database) {
        return java.util.Arrays.stream(values()).filter(s -> s.database.equals(database)).findFirst();
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Whether health and metrics are on a management port of their own (the three apps; the relay has no API). */
    public boolean hasManagementPort() {
        return this != OUTBOX_RELAY;
    }

    /** {@link #environment(StackEndpoints, int, int)} with a free management port. */
    public Map<String, String> environment(StackEndpoints stack, int httpPort) {
        return environment(stack, httpPort, hasManagementPort() ? Ports.free() : httpPort);
    }

    /** The environment that points a service at a stack; the same names a Kubernetes manifest sets. */
    public Map<String, String> environment(StackEndpoints stack, int httpPort, int managementPort) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort),
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(stack.postgresPort()),
                "DB_NAME", database,
                "DB_USER", dbUser,
                "DB_PASSWORD", dbPassword(),
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "JWT_PUBLIC_KEY_LOCATION", stack.tokens().publicKeyLocation()));
        if (hasManagementPort()) {
            env.put(AppProcess.MANAGEMENT_PORT, Integer.toString(managementPort));
        }
        if (this == ORDER_APP) {
            Map<Service, Integer> ports = new java.util.EnumMap<>(Service.class);
            for (Service s : List.of(INVENTORY_APP, COUPON_APP)) {
                ports.put(s, Ports.fromEnv(s.portVariable, s.defaultPort));
            }
            ports.put(ORDER_APP, httpPort);
            env.putAll(consoleEnvironment(ports));
        }
        return Map.copyOf(env);
    }

    /**
     * Where order-app's operator console finds each service's ops API ({@code ORDER_APP_URL}, {@code INVENTORY_APP_URL},
     * {@code COUPON_APP_URL}), given their HTTP ports on this host; {@link #environment} sets `make run`'s ports.
     */
    public static Map<String, String> consoleEnvironment(Map<Service, Integer> httpPorts) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Service s : List.of(ORDER_APP, INVENTORY_APP, COUPON_APP)) {
            Integer port = httpPorts.get(s);
            if (port != null) {
                env.put(s.urlVariable(), "http://127.0.0.1:" + port);
            }
        }
        return Map.copyOf(env);
    }

    /** {@code ORDER_APP_URL} for order-app: the variable that tells the console where the service is. */
    public String urlVariable() {
        return portVariable.replace("_PORT", "_URL");
    }

    /** `make run`'s management port of this service: 9080, 9081, 9082 (or {@code <PORT VARIABLE>_MANAGEMENT}). */
    int defaultManagementPort() {
        return Ports.fromEnv(portVariable.replace("_PORT", "_MANAGEMENT_PORT"), defaultPort + 1000);
    }
}
