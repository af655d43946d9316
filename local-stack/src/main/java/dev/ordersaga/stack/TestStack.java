package dev.ordersaga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stack a test JVM uses: started once, on free ports, in a JVM of its own (so the broker's Kafka
 * version never meets the test's), and gone when the test JVM is gone, killed or not.
 */
public final class TestStack {

    private static StackEndpoints shared;
    private static Path sharedHome;
    private static long sharedPid;
    private static Process sharedProcess;
    /** What runs on the stack, stopped before it when the test JVM exits (JVM shutdown hooks run all at once). */
    private static final java.util.Deque<Runnable> users = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** Parts of the stack started outside its JVM (a Postgres restarted by a fault test), stopped after the users. */
    private static final java.util.Deque<Runnable> parts = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private TestStack() {
    }

    /**
     * Stops {@code stop} before the stack when the test JVM exits: services stopped while their Postgres and
     * Kafka go away at the same time wait out their own timeouts, which Surefire's 30 s exit deadline cuts short.
     */
    public static void stopBeforeTheStack(Runnable stop) {
        users.push(stop);
    }

    /** Stops {@code stop} with the stack, after its users: a part of the stack that runs outside its JVM. */
    static void stopWithTheStack(Runnable stop) {
        parts.push(stop);
    }

    private static void runAll(java.util.Deque<Runnable> stops) {
        for (Runnable stop : stops) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                System.err.println("test stack: a stop on exit failed: " + e);
            }
        }
    }

    public static synchronized StackEndpoints shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The folder of the shared stack: its logs, and a place for a test's own files. */
    public static synchronized Path home() {
        shared();
        return sharedHome;
    }

    /** The stack's JVM (Kafka runs in it; Postgres runs as its own processes). */
    /**
     * For fault tests: stops the shared stack's Kafka broker ({@code up} false) or starts it again on the same port and
     * data, and returns once the stack has done it (2 minutes at most).
     */
    public static void kafka(boolean up) throws IOException, InterruptedException {
        command(up ? "kafka-up" : "kafka-down");
    }

    /**
     * Where clients that a fault test may cut off Kafka bootstrap: a second listener behind a proxy in the stack,
     * see {@link #kafkaLink}. Other clients are not affected.
     */
    public static synchronized String cuttableKafka() throws IOException {
        shared();
        return Files.readString(sharedHome.resolve("kafka-cuttable")).trim();
    }

    /** Cuts ({@code up} false: bytes are held, nothing is closed) or heals the link of {@link #cuttableKafka()}'s clients. */
    public static void kafkaLink(boolean up) throws IOException, InterruptedException {
        command(up ? "kafka-heal" : "kafka-cut");
    }

    private static synchronized void command(String command) throws IOException, InterruptedException {
        shared();
        Path done = sharedHome.resolve("command.done");
        Files.deleteIfExists(done);
        var in = sharedProcess.getOutputStream();
        in.write((command + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        in.flush();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.exists(done) || !Files.readString(done).equals(command)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(command + " not done within 2 minutes:\n" + tail(sharedHome.resolve("stack.log")));
            }
            Thread.sleep(50);
        }
    }

    public static synchronized long pid() {
        shared();
        return sharedPid;
    }

    private static StackEndpoints start() throws IOException {
        Path root = RepoRoot.find().orElse(Path.of(System.getProperty("java.io.tmpdir")))
                .resolve(".local").resolve("test-stacks");
        Orphans.reapTestStacks(root);
        Path home = root.resolve(UUID.randomUUID().toString());
        Files.createDirectories(home);
        Orphans.writePid(home.resolve("owner.pid"), ProcessHandle.current());
        Process process = launch(home, List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runAll(users);
            runAll(parts);
            Orphans.terminate(process.toHandle(), Duration.ofSeconds(30));
            Orphans.deleteTree(home);
        }, "test-stack-stop"));

        StackEndpoints endpoints = awaitStarted(process, home);
        sharedHome = home;
        sharedPid = process.pid();
        sharedProcess = process;
        return endpoints;
    }

    /** Waits for a stack of {@link #launch} to have written its endpoints (3 minutes at most). */
    static StackEndpoints awaitStarted(Process process, Path home) throws IOException {
        Path log = home.resolve("stack.log");
        Path endpoints = home.resolve("endpoints.properties");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!Files.exists(endpoints)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local stack exited with " + process.exitValue() + ":\n" + tail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the local stack did not start within 3 minutes:\n" + tail(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return StackEndpoints.read(endpoints);
    }

    /**
     * {@code LocalStack serve home} in a JVM of its own, its output in {@code home/stack.log}. Its standard input stays
     * a pipe: when this JVM exits (or closes it), the stack reads end-of-stream and stops.
     */
    static Process launch(Path home, List<String> jvmOptions) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath(), LocalStack.class.getName(), "serve", home.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stack.log").toFile()))
                .start();
    }

    private static String classpath() throws IOException {
        try (InputStream in = TestStack.class.getResourceAsStream("stack-classpath.txt")) {
            if (in == null) {
                throw new IllegalStateException("stack-classpath.txt missing: build local-stack with Maven");
            }
            String deps = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            Path self = Path.of(TestStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self + java.io.File.pathSeparator + deps;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
