package dev.ordersaga.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.PidFile;
import dev.ordersaga.stack.Ports;
import dev.ordersaga.stack.RepoRoot;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * `make bench`. Profiles: {@code BENCH_PROFILE=short} (default, about five minutes) or {@code long}.
 * Extra JVM options for the relay under test: {@code BENCH_RELAY_OPTS} (e.g. -Drelay.debezium."poll.interval.ms"=500).
 * {@code BENCH_ONLY} picks parts, comma separated: relay, drain3, saga, delayed, and drain3-large, which only runs
 * when named. {@code BENCH_PEERS=connect} runs the relay's drain and latency scenarios a second time with Kafka
 * Connect + Debezium ({@link ConnectPeer}) and writes the ratios ({@code relay_drain_ratio_vs_peer}, ...).
 * {@code BENCH_JFR=on} records each drain with JFR and writes its top frames ({@link JfrProfile}).
 */
public final class Bench {

    /** The stack's JVM, where Kafka runs: for the CPU split. */
    static long stackPid;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean longProfile = "long".equalsIgnoreCase(System.getenv().getOrDefault("BENCH_PROFILE", "short"));
        Profile profile = longProfile ? Profile.LONG : Profile.SHORT;
        Path repo = RepoRoot.find().orElseThrow(() -> new IllegalStateException("run from the project folder"));
        Path out = repo.resolve("target/bench");
        Files.createDirectories(out);

        // BENCH_STACK=running measures the stack and services `make run` started; by default a stack of its own
        boolean running = "running".equalsIgnoreCase(System.getenv().getOrDefault("BENCH_STACK", ""));
        System.out.println("bench: profile " + profile.name().toLowerCase() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores; " + (running ? "using the running stack of `make run`" : "starting the local stack")
                + " (fsync and synchronous_commit on, acks=all)");
        StackEndpoints stack;
        if (running) {
            stack = StackEndpoints.read(repo.resolve(".local/endpoints.properties"));
            stackPid = PidFile.live(repo.resolve(".local/stack.pid"))
                    .orElseThrow(() -> new IllegalStateException("`make run` is not running")).pid();
        } else {
            stack = TestStack.shared();
            stackPid = TestStack.pid();
        }

        // what the scenarios create goes when the bench ends, failed or not (Cleanup prints what it removed)
        try (Cleanup cleanup = new Cleanup(stack)) {
            Map<String, Object> results = new LinkedHashMap<>();
            Map<String, Latencies> commitToKafka = new LinkedHashMap<>();
            Map<String, Latencies> sagaHttp = new LinkedHashMap<>();
            Map<String, Latencies> sagaE2e = new LinkedHashMap<>();
            Map<String, Object> notes = new LinkedHashMap<>();

            // BENCH_ONLY=relay, drain3, saga, ... runs those parts, for tuning; the results file then has only those
            Set<String> only = list("BENCH_ONLY");
            Set<String> peers = list("BENCH_PEERS");
            if (!Set.of("connect").containsAll(peers)) {
                throw new IllegalArgumentException("BENCH_PEERS knows only: connect");
            }
            Map<String, Latencies> peerCommitToKafka = new LinkedHashMap<>();
            if (only.isEmpty() || only.contains("relay")) {
                // closed first: its relay stops streaming before the slot it reads is dropped
                try (RelayScenarios relay = new RelayScenarios(stack, out, profile, cleanup, RelayScenarios.Subject.RELAY)) {
                    relay.drain(results, notes);
                    relay.commitLatency(commitToKafka);
                }
                // BENCH_PEERS=connect: the same scenarios once more with Kafka Connect + Debezium, one after the other
                if (peers.contains("connect")) {
                    try (RelayScenarios peer = new RelayScenarios(stack, out, profile, cleanup, RelayScenarios.Subject.CONNECT)) {
                        peer.drain(results, notes);
                        peer.commitLatency(peerCommitToKafka);
                    }
                    results.put("peer_connect_commit_to_kafka_ms", summaries(peerCommitToKafka));
                    results.putAll(Report.ratiosVsPeer(results, commitToKafka, peerCommitToKafka));
                }
            }
            for (Drain3Scenario.Rows rows : Drain3Scenario.Rows.values()) {
                boolean byDefault = rows == Drain3Scenario.Rows.SMALL;
                if ((only.isEmpty() && byDefault) || only.contains(rows.scenario)) {
                    new Drain3Scenario(stack, out, cleanup).run(rows, results, notes);
                }
            }
            int sustained = 0;
            if (only.isEmpty() || only.contains("saga")) {
                SagaScenario saga = new SagaScenario(stack, out, profile, running ? repo.resolve(".local/logs") : null);
                sustained = saga.run(sagaHttp, sagaE2e, notes);
            }

            if (only.isEmpty() || only.contains("delayed")) {
                if (running) {
                    notes.put("delayed", "skipped on a running stack: the scenario writes a million rows into its orders database");
                } else {
                    new DelayedScenario(stack, out, profile).run(results, notes);
                }
            }

            results.put("commit_to_kafka_ms", summaries(commitToKafka));
            results.put("saga_http_ms", summaries(sagaHttp));
            results.put("saga_e2e_ms", summaries(sagaE2e));
            results.put("saga_max_sustained_orders_per_s", sustained);
            results.put("cores", Runtime.getRuntime().availableProcessors());
            results.put("commit", gitCommit(repo));
            results.put("profile", profile.name().toLowerCase());
            results.put("notes", notes);

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(out.resolve("results.json"), json.writeValueAsString(results));
            Files.writeString(out.resolve("results.md"), Report.markdown(results, commitToKafka, sagaHttp, sagaE2e)
                    + Report.peerTable(results, commitToKafka, peerCommitToKafka));
            Files.writeString(out.resolve("latency.svg"), Report.svg(commitToKafka, sagaE2e));
            System.out.println("bench: wrote " + out.resolve("results.json") + ", results.md, latency.svg");
        }
        System.exit(0);
    }

    /** A comma-separated environment variable as a set. */
    private static Set<String> list(String variable) {
        return Arrays.stream(System.getenv().getOrDefault(variable, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static Map<String, Map<String, Double>> summaries(Map<String, Latencies> byRate) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        byRate.forEach((rate, l) -> m.put(rate, l.summary()));
        return m;
    }

    static AppProcess start(Service service, StackEndpoints stack, Map<String, String> extraEnv, Path logs) throws IOException {
        return start(service, stack, extraEnv, logs, List.of());
    }

    /** {@code extraJvm} comes last, after the service's own options and {@code BENCH_RELAY_OPTS}. */
    static AppProcess start(Service service, StackEndpoints stack, Map<String, String> extraEnv, Path logs, List<String> extraJvm)
            throws IOException {
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(service.environment(stack, port));
        env.putAll(extraEnv);
        List<String> jvm = new ArrayList<>(service.jvmArgs());
        String extra = System.getenv("BENCH_RELAY_OPTS");
        if (service == Service.OUTBOX_RELAY && extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        jvm.addAll(extraJvm);
        return AppProcess.start(service.module + "-" + port, service.jar(RepoRoot.find().orElseThrow()), port, env, logs, jvm)
                .awaitReady(Duration.ofMinutes(3));
    }

    private static String gitCommit(Path repo) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(repo.toFile()).start();
            String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? sha : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    enum Profile {
        SHORT(200_000, Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(20)),
        LONG(1_000_000, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));

        final int drainEvents;
        final Duration latencyStep;
        final Duration sagaStep;
        final Duration idleWindow;

        Profile(int drainEvents, Duration latencyStep, Duration sagaStep, Duration idleWindow) {
            this.drainEvents = drainEvents;
            this.latencyStep = latencyStep;
            this.sagaStep = sagaStep;
            this.idleWindow = idleWindow;
        }
    }
}
