package dev.ordersaga.system;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.LocalTokens;
import dev.ordersaga.stack.TestTokens;
import dev.ordersaga.stack.Ports;
import dev.ordersaga.stack.RepoRoot;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system as `make run` starts it: the packaged services and the relay as processes, on the test
 * JVM's stack, on free ports. Started once per test JVM; process logs stay in target/process-logs.
 */
final class RunningSystem {

    private static RunningSystem shared;
    /** Where order-app's operator console finds the services of this system (their free ports). */
    private static volatile Map<String, String> consoleEnv = Map.of();

    final StackEndpoints stack;
    private final Map<Service, AppProcess> apps = new EnumMap<>(Service.class);
    /** The extra environment each service last started with: a restart after an exit keeps it. */
    private final Map<Service, Map<String, String>> extraEnvs = new EnumMap<>(Service.class);
    private final List<AppProcess> replicas = new ArrayList<>();

    private RunningSystem(StackEndpoints stack) {
        this.stack = stack;
    }

    static synchronized RunningSystem shared() {
        if (shared == null) {
            RunningSystem system = new RunningSystem(TestStack.shared());
            // one identity for the end-to-end tests: customer c-1 with every role (the role rules are tested per app)
            TestTokens.actAs("c-1", LocalTokens.ROLES.toArray(String[]::new));
            // stopped before the stack, so no service waits out its timeouts on a Postgres or Kafka already gone
            TestStack.stopBeforeTheStack(system::stop);
            // the ports first: order-app's console must know where the other services will listen
            Map<Service, Integer> ports = new EnumMap<>(Service.class);
            Service.START_ORDER.forEach(s -> ports.put(s, Ports.free()));
            consoleEnv = Service.consoleEnvironment(ports);
            for (Service s : Service.START_ORDER) {
                system.apps.put(s, start(s, system.stack, ports.get(s), Map.of()));
            }
            shared = system;
        }
        return shared;
    }

    String url(Service s) {
        return apps.get(s).url();
    }

    /** Health and metrics of a service (its management port; the relay's own port). */
    String managementUrl(Service s) {
        return apps.get(s).managementUrl();
    }

    /**
     * What a supervisor (Kubernetes, the chaos suite's `make run`) does: starts again, on the same port, each
     * process that exited. Returns the services it started.
     */
    synchronized List<Service> restartExited() {
        List<Service> restarted = new ArrayList<>();
        for (Service s : Service.START_ORDER) {
            AppProcess app = apps.get(s);
            if (!app.process().isAlive()) {
                apps.put(s, start(s, stack, app.port(), extraEnvs.getOrDefault(s, Map.of())));
                restarted.add(s);
            }
        }
        return restarted;
    }

    /** Stops one service (SIGTERM), as a scale-down or a rollout would; {@link #restartExited} brings it back. */
    synchronized void stop(Service s) {
        apps.get(s).close();
    }

    /** SIGKILL, as a crash or an OOM kill would; {@link #restartExited} brings it back. */
    synchronized void kill(Service s) {
        apps.get(s).kill();
    }

    /** Starts one service again, on its port, with extra environment (e.g. short deadlines); {@code Map.of()} restores it. */
    synchronized void restart(Service s, Map<String, String> extraEnv) {
        AppProcess app = apps.get(s);
        app.close();
        extraEnvs.put(s, Map.copyOf(extraEnv));
        apps.put(s, start(s, stack, app.port(), extraEnv));
    }

    /** The relay the system started with, or the replica that took its place. */
    synchronized AppProcess relay() {
        return apps.get(Service.OUTBOX_RELAY);
    }

    /** One more relay on the same sources, as a second replica runs in a cluster: it waits as a hot standby. */
    synchronized AppProcess startRelayReplica() {
        AppProcess replica = start(Service.OUTBOX_RELAY, stack, Map.of());
        replicas.add(replica);
        return replica;
    }

    /** After the active relay was killed, its replica is the system's relay for the tests that follow. */
    synchronized void relayReplacedBy(AppProcess replica) {
        replicas.remove(replica);
        apps.put(Service.OUTBOX_RELAY, replica);
    }

    /** Starts one packaged service with extra environment (e.g. a relay on other databases). */
    static AppProcess start(Service s, StackEndpoints stack, Map<String, String> extraEnv) {
        return start(s, stack, Ports.free(), extraEnv);
    }

    private static AppProcess start(Service s, StackEndpoints stack, int port, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(s.environment(stack, port));
        if (s == Service.ORDER_APP) {
            // the outage tests hold orders PENDING for minutes on purpose: under the 30 s default they would end
            // SAGA_TIMEOUT, which DeadlinesIT tests with deadlines of its own
            env.put("ORDER_SAGA_DEADLINE", "10m");
            // nobody pays here: under the 15 min default, a long run's early orders would all expire together later
            // (thousands of cancellations at once, a load no scenario means); DeadlinesIT tests the expiry itself
            env.put("ORDER_PAYMENT_TIMEOUT", "PT2H");
            env.putAll(consoleEnv);
        }
        env.putAll(extraEnv);
        try {
            return AppProcess.start(s.module + "-" + port, s.jar(repo()), port, env, logs(), s.jvmArgs())
                    .awaitReady(Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Started, but not awaited: for a relay that is expected not to become ready (a refused source). */
    static AppProcess startUnready(Service s, StackEndpoints stack, Map<String, String> extraEnv) {
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(s.environment(stack, port));
        env.putAll(extraEnv);
        try {
            return AppProcess.start(s.module + "-" + port, s.jar(repo()), port, env, logs(), s.jvmArgs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repo() {
        return RepoRoot.find().orElseThrow();
    }

    static Path logs() {
        return repo().resolve("system-tests/target/process-logs");
    }

    /** All at once: each stop may take seconds (Kafka consumers leave their groups), and the JVM is exiting. */
    private synchronized void stop() {
        List<AppProcess> all = new ArrayList<>(replicas);
        all.addAll(apps.values());
        List<Thread> stopping = all.stream().map(app -> new Thread(app::close, "stop " + app)).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            try {
                t.join(Duration.ofSeconds(25).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
