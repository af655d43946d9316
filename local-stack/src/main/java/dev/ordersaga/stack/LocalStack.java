package dev.ordersaga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack: a real PostgreSQL and a real Kafka broker, and for `make run` the three services and the relay.
 *
 * <pre>
 * run [--no-apps]  fixed ports (env overrides), data under .local/, Ctrl-C or `stop` ends it
 * serve DIR        free ports, data under DIR, ends when its standard input closes (tests)
 * stop             stops the stack that `run` started
 * token SUB ROLES  prints a token for the stack that `run` starts, valid 24 h (ROLES comma-separated)
 * </pre>
 */
public final class LocalStack implements AutoCloseable {

    private final Postgres postgres;
    private volatile KafkaBroker kafka;
    private final Path kafkaDir;
    private final int kafkaPort;
    private final int controllerPort;
    private KafkaBroker.Cuttable cuttable;
    private FreezableProxy kafkaLink;
    private final List<Supervisor> apps = new ArrayList<>(); // guarded by itself, as is closing
    private boolean closing;

    private final Path tokenKeys;

    /** In the logs folder: restarts per service of the current `make run` (Supervisor). */
    static final String RESTARTS = "restarts.properties";

    private LocalStack(Postgres postgres, KafkaBroker kafka, Path tokenKeys, Path kafkaDir, int kafkaPort, int controllerPort) {
        this.kafkaDir = kafkaDir;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.postgres = postgres;
        this.kafka = kafka;
        this.tokenKeys = tokenKeys;
    }

    static LocalStack start(Path home, int pgPort, int kafkaPort, int controllerPort) throws Exception {
        return start(home, pgPort, kafkaPort, controllerPort, null);
    }

    static LocalStack start(Path home, int pgPort, int kafkaPort, int controllerPort, KafkaBroker.Cuttable cuttable)
            throws Exception {
        Postgres pg = Postgres.start(home.resolve("pg"), binariesDir(home), pgPort);
        try {
            pg.provision();
            KafkaBroker kafka = KafkaBroker.start(home.resolve("kafka"), kafkaPort, controllerPort, cuttable);
            LocalTokens.in(home.resolve("jwt"));
            LocalStack stack = new LocalStack(pg, kafka, home.resolve("jwt"), home.resolve("kafka"), kafkaPort, controllerPort);
            stack.cuttable = cuttable;
            return stack;
        } catch (Exception e) {
            pg.close();
            throw e;
        }
    }

    /** zonky unpacks about 60 MB of binaries: once per checkout, not per run. */
    private static Path binariesDir(Path home) {
        Path root = RepoRoot.find().orElse(home);
        return root.resolve(".local").resolve("pg-binaries");
    }

    StackEndpoints endpoints() {
        return new StackEndpoints(postgres.port(), kafka.bootstrapServers(), tokenKeys);
    }

    void startServices(Path repoRoot, Path logDir) throws Exception {
        for (Service s : Service.START_ORDER) {
            int port = Ports.fromEnv(s.portVariable, s.defaultPort);
            startService(s, s.module, port, repoRoot, logDir);
        }
        // RELAY_REPLICAS=2: a hot standby relay beside the first, on the next port (see outbox-relay/README.md)
        for (int i = 2; i <= relayReplicas(); i++) {
            int port = Ports.fromEnv(Service.OUTBOX_RELAY.portVariable, Service.OUTBOX_RELAY.defaultPort) + i - 1;
            startService(Service.OUTBOX_RELAY, Service.OUTBOX_RELAY.module + "-" + i, port, repoRoot, logDir);
        }
    }

    /** Starts the service, waits until it is ready, then restarts it whenever it exits on its own (Supervisor). */
    private void startService(Service s, String name, int port, Path repoRoot, Path logDir) throws Exception {
        System.out.println("[local-stack] starting " + name + " on port " + port + " (log: " + logDir.resolve(name + ".log") + ")");
        int management = s.hasManagementPort() ? s.defaultManagementPort() : port;
        Map<String, String> env = s.environment(endpoints(), port, management);
        Path jar = s.jar(repoRoot);
        List<String> jvmArgs = s.jvmArgs();
        Supervisor app = new Supervisor(name, () -> AppProcess.start(name, jar, port, env, logDir, jvmArgs, true),
                logDir.resolve(RESTARTS));
        synchronized (apps) {
            // a stop during the start-up: no service may start after close() has taken the list
            if (closing) {
                throw new IllegalStateException("stopping");
            }
            apps.add(app);
        }
        app.start().awaitReady(Duration.ofMinutes(2));
        app.watch();
    }

    private static int relayReplicas() {
        return Math.max(1, Ports.fromEnv("RELAY_REPLICAS", 1));
    }

    /**
     * The services in reverse start order, then Kafka, then PostgreSQL: the services' last commits and the relay's
     * last offset flush still reach both. Nothing else stops PostgreSQL (no zonky shutdown hook, see Postgres).
     */
    @Override
    public void close() {
        List<Supervisor> reversed;
        synchronized (apps) {
            closing = true;
            reversed = new ArrayList<>(apps);
        }
        // first no service may be restarted, then they stop one by one
        reversed.forEach(Supervisor::stopRestarting);
        Collections.reverse(reversed);
        reversed.forEach(Supervisor::close);
        try {
            kafka.close();
            System.out.println("[local-stack] Kafka stopped");
        } catch (RuntimeException e) {
            System.err.println("[local-stack] stopping Kafka: " + e);
        }
        try {
            postgres.close();
            System.out.println("[local-stack] PostgreSQL stopped");
        } catch (IOException e) {
            System.err.println("[local-stack] stopping Postgres: " + e);
        }
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run(List.of(args).contains("--no-apps"));
            case "serve" -> serve(Path.of(args[1]));
            case "stop" -> stop(runHome());
            case "token" -> token(args);
            default -> {
                System.err.println("usage: LocalStack run [--no-apps] | serve DIR | stop | token SUB ROLES");
                System.exit(2);
            }
        }
    }

    private static Path runHome() {
        String env = System.getenv("STACK_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return RepoRoot.find().orElseThrow(() -> new IllegalStateException("run from the project folder"))
                .resolve(".local");
    }

    private static void run(boolean noApps) throws Exception {
        Path home = runHome();
        Path pids = home.resolve("logs");
        Optional<ProcessHandle> running = Orphans.recorded(home.resolve("stack.pid"));
        if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
            System.err.println("[local-stack] already running as pid " + running.get().pid() + " (make stop)");
            System.exit(1);
        }
        // services of a run that was killed outright still hold their ports
        for (Service s : Service.values()) {
            Orphans.kill(pids.resolve(s.module + ".pid"), "left by an earlier run");
        }
        for (int i = 2; i <= relayReplicas(); i++) {
            Orphans.kill(pids.resolve(Service.OUTBOX_RELAY.module + "-" + i + ".pid"), "left by an earlier run");
        }
        Orphans.writePid(home.resolve("stack.pid"), ProcessHandle.current());
        Files.deleteIfExists(pids.resolve(RESTARTS));
        int pg = Ports.fromEnv("PG_PORT", 15432);
        int kafka = Ports.fromEnv("KAFKA_PORT", 19092);
        int controller = Ports.fromEnv("KAFKA_CONTROLLER_PORT", 19093);
        LocalStack stack = start(home, pg, kafka, controller);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[local-stack] stopping");
            stack.close();
            PidFile.delete(home.resolve("stack.pid"));
        }, "local-stack-stop"));
        StackEndpoints endpoints = stack.endpoints();
        endpoints.write(home.resolve("endpoints.properties"));
        System.out.println("[local-stack] PostgreSQL " + endpoints.jdbcUrl("<db>") + " (superuser postgres/"
                + StackEndpoints.PASSWORD + "; each service its own role, password <role>-local: "
                + java.util.Arrays.stream(Service.values()).map(s -> s.database + " " + s.dbUser)
                .collect(java.util.stream.Collectors.joining(", ")) + ")");
        System.out.println("[local-stack] Kafka      " + endpoints.bootstrapServers());
        if (!noApps) {
            Path repo = RepoRoot.find().orElseThrow();
            stack.startServices(repo, home.resolve("logs"));
            System.out.println();
            List<AppProcess> started;
            synchronized (stack.apps) {
                started = stack.apps.stream().map(Supervisor::current).toList();
            }
            for (AppProcess app : started) {
                if (app.name().startsWith(Service.OUTBOX_RELAY.module)) {
                    System.out.printf("  %-14s %s   (health %s/q/health, metrics %s/q/metrics)%n", app.name(), app.url(),
                            app.url(), app.url());
                } else {
                    System.out.printf("  %-14s %s   (management %s: /q/health, /q/metrics, /q/openapi)%n", app.name(),
                            app.url(), app.managementUrl());
                }
            }
            System.out.println();
            System.out.println("  operator console: http://127.0.0.1:" + Ports.fromEnv("ORDER_APP_PORT", 8080)
                    + "/ops/   (paste a token from: make -s token SUB=ops ROLES=operator)");
            // order-app inherits this environment: `ORDER_PAYMENT_TIMEOUT=20s make run` shortens the payment window
            System.out.printf("  deadlines: saga %s (ORDER_SAGA_DEADLINE), payment %s (ORDER_PAYMENT_TIMEOUT)%n",
                    envOr("ORDER_SAGA_DEADLINE", "30s"), envOr("ORDER_PAYMENT_TIMEOUT", "15m"));
            System.out.println("  every request needs a token: make token SUB=<who> ROLES=<customer|stock-admin|coupon-admin|operator>");
            System.out.println("  try: ADMIN=$(make -s token SUB=admin ROLES=stock-admin); ALICE=$(make -s token SUB=alice ROLES=customer)");
            System.out.println("       curl -s -XPUT -H \"Authorization: Bearer $ADMIN\" -H 'Content-Type: application/json' "
                    + "-d '{\"available\":10,\"price\":4.99}' http://127.0.0.1:" + Ports.fromEnv("INVENTORY_APP_PORT", 8081) + "/stock/SKU-1");
            System.out.println("       curl -si -XPOST -H \"Authorization: Bearer $ALICE\" -H 'Content-Type: application/json' "
                    + "-d '{\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}' "
                    + "http://127.0.0.1:" + Ports.fromEnv("ORDER_APP_PORT", 8080) + "/orders");
            System.out.println("       curl -s -XPOST -H \"Authorization: Bearer $ALICE\" -H 'Content-Type: application/json' "
                    + "-d '{\"amount\":9.98}' http://127.0.0.1:" + Ports.fromEnv("ORDER_APP_PORT", 8080) + "/orders/<id>/payment");
        }
        System.out.println("[local-stack] up; " + (noApps ? "" : "a service that exits is started again (restarts counted in "
                + pids.resolve(RESTARTS) + "); ") + "Ctrl-C or `make stop` stops everything");
        Thread.currentThread().join();
    }

    /** For tests: free ports, and the stack ends when the JVM that started it goes away. */
    private static void serve(Path home) throws Exception {
        Files.createDirectories(home);
        Orphans.writePid(home.resolve("stack.pid"), ProcessHandle.current());
        // fault tests cut clients bootstrapped at the proxy off Kafka (TestStack.cuttableKafka, kafka-cut/kafka-heal)
        KafkaBroker.Cuttable cuttable = new KafkaBroker.Cuttable(Ports.free(), Ports.free());
        LocalStack stack = start(home, Ports.free(), Ports.free(), Ports.free(), cuttable);
        stack.kafkaLink = new FreezableProxy("127.0.0.1", cuttable.listen(), cuttable.advertised());
        Files.writeString(home.resolve("kafka-cuttable"), "127.0.0.1:" + cuttable.advertised());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            PidFile.delete(home.resolve("stack.pid"));
        }, "local-stack-stop"));
        stack.endpoints().write(home.resolve("endpoints.properties"));
        // the owner writes a command now and then (a Kafka outage for the chaos suite); end of stream means it is gone
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                stack.command(line.trim(), home);
            }
        }
        System.exit(0);
    }

    /** Test commands: {@code kafka-down} stops the broker, {@code kafka-up} starts it again on its port and data. */
    private void command(String command, Path home) {
        try {
            switch (command) {
                case "kafka-down" -> {
                    kafka.close();
                    System.out.println("[local-stack] Kafka stopped on request");
                }
                case "kafka-up" -> {
                    kafka = KafkaBroker.start(kafkaDir, kafkaPort, controllerPort, cuttable);
                    System.out.println("[local-stack] Kafka started on request");
                }
                case "kafka-cut" -> {
                    kafkaLink.freeze();
                    System.out.println("[local-stack] the cuttable Kafka listener is cut off");
                }
                case "kafka-heal" -> {
                    kafkaLink.thaw();
                    System.out.println("[local-stack] the cuttable Kafka listener is reachable again");
                }
                default -> {
                    System.err.println("[local-stack] unknown command: " + command);
                    return;
                }
            }
            Files.writeString(home.resolve("command.done"), command);
        } catch (Exception e) {
            System.err.println("[local-stack] " + command + " failed: " + e);
        }
    }

    /** Signals the stack only if its pid file still names it (PidFile); the stack's hook then stops everything in order. */
    static void stop(Path home) {
        Optional<ProcessHandle> running = Orphans.recorded(home.resolve("stack.pid"));
        if (running.isEmpty()) {
            System.out.println("[local-stack] not running");
            return;
        }
        System.out.println("[local-stack] stopping pid " + running.get().pid());
        Orphans.terminate(running.get(), Duration.ofSeconds(60));
    }

    /** `make token SUB=alice ROLES=customer`: the key pair is the one `make run` trusts (made here if missing). */
    private static void token(String[] args) {
        String subject = args.length > 1 ? args[1].trim() : "";
        List<String> roles = args.length > 2 ? List.of(args[2].split(",")).stream().map(String::trim)
                .filter(r -> !r.isEmpty()).toList() : List.of();
        List<String> unknown = roles.stream().filter(r -> !LocalTokens.ROLES.contains(r)).toList();
        if (subject.isEmpty() || roles.isEmpty() || !unknown.isEmpty()) {
            System.err.println("usage: make token SUB=<subject> ROLES=<role>[,<role>...]; roles: "
                    + String.join(", ", LocalTokens.ROLES) + (unknown.isEmpty() ? "" : "; unknown: " + unknown));
            System.exit(2);
        }
        System.out.println(LocalTokens.in(runHome().resolve("jwt")).mint(subject, roles, Duration.ofHours(24)));
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
