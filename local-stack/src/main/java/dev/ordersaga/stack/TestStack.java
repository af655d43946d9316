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

    private TestStack() {
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
        Orphans.writePid(home.resolve("owner.pid"), ProcessHandle.current().pid());

        Path log = home.resolve("stack.log");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", classpath(),
                LocalStack.class.getName(), "serve", home.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // stdin stays a pipe: when this JVM exits, the stack reads end-of-stream and stops
        Process process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Orphans.terminate(process.toHandle(), Duration.ofSeconds(30));
            Orphans.deleteTree(home);
        }, "test-stack-stop"));

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
        sharedHome = home;
        sharedPid = process.pid();
        return StackEndpoints.read(endpoints);
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
