package dev.ordersaga.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** `make run`'s supervision with trivial children instead of the services. */
class SupervisorTest {

    private static final Duration SHORT = Duration.ofMillis(50);

    @TempDir
    Path logs;

    private final List<AppProcess> launched = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        launched.forEach(a -> a.process().destroyForcibly());
    }

    @Test
    void aChildThatExitsIsStartedAgainCountedAndLoggedWithBackoffThatGrows() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setOut(new PrintStream(said, true));
        try {
            supervise("flaky", SHORT, Duration.ofMillis(200), Duration.ofMinutes(1), "sh", "-c", "exit 3");
            await(() -> supervisor.restarts() >= 4);
        } finally {
            System.setOut(stdout);
        }

        assertThat(supervisor.backoffs())
                .startsWith(SHORT, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200));
        assertThat(launched.size()).isGreaterThanOrEqualTo(5);
        assertThat(said.toString()).contains("[local-stack] flaky exited with status 3 after", "; restart 1 in 50 ms",
                "; restart 2 in 100 ms", "; restart 3 in 200 ms", "(log: " + logs.resolve("flaky.log") + ")");
        assertThat(Integer.parseInt(readCounts().getProperty("flaky"))).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theBackoffStartsOverOnceAChildStayedUp() throws Exception {
        supervise("steady", SHORT, Duration.ofSeconds(5), Duration.ofMillis(100), "sh", "-c", "sleep 0.3; exit 1");
        await(() -> supervisor.restarts() >= 3);

        assertThat(supervisor.backoffs()).hasSizeGreaterThanOrEqualTo(3).containsOnly(SHORT);
    }

    @Test
    void closeStopsTheChildAndNothingIsStartedAgain() throws Exception {
        AppProcess first = supervise("sleeper", SHORT, SHORT, Duration.ofMinutes(1), "sleep", "60");
        assertThat(readCounts().getProperty("sleeper")).isEqualTo("0");

        supervisor.close();

        assertThat(first.process().isAlive()).isFalse();
        assertThat(supervisor.watching()).isFalse();
        assertThat(launched).hasSize(1);
        assertThat(supervisor.restarts()).isZero();
        assertThat(logs.resolve("sleeper.pid")).doesNotExist();
    }

    @Test
    void closeDuringTheBackoffRestartsNothing() throws Exception {
        Duration patient = Duration.ofMinutes(5);
        supervise("crashing", patient, patient, Duration.ofMinutes(1), "sh", "-c", "exit 1");
        await(() -> supervisor.backoffs().size() == 1);

        Instant closing = Instant.now();
        supervisor.close();

        assertThat(Duration.between(closing, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(supervisor.watching()).isFalse();
        assertThat(launched).hasSize(1);
        assertThat(supervisor.restarts()).isZero();
    }

    @Test
    void aChildThatExitsAfterStopRestartingIsNotStartedAgain() throws Exception {
        AppProcess first = supervise("stopping", SHORT, SHORT, Duration.ofMinutes(1), "sleep", "60");

        // what a Ctrl-C does: the stack stops restarting, the child gets the signal as well
        supervisor.stopRestarting();
        first.process().destroy();

        await(() -> !supervisor.watching());
        assertThat(launched).hasSize(1);
        assertThat(supervisor.restarts()).isZero();
    }

    /** A supervisor of {@code command}, started and watching; returns the first child. */
    private AppProcess supervise(String name, Duration firstBackoff, Duration maxBackoff, Duration stable, String... command)
            throws Exception {
        supervisor = new Supervisor(name, launcher(name, command), counts(), firstBackoff, maxBackoff, stable);
        AppProcess first = supervisor.start();
        supervisor.watch();
        return first;
    }

    /** The same command every time, as `make run` starts a service again with the same port and environment. */
    private java.util.concurrent.Callable<AppProcess> launcher(String name, String... command) {
        return () -> {
            AppProcess app = AppProcess.launch(name, List.of(command), Map.of(), logs, 0, 0);
            launched.add(app);
            return app;
        };
    }

    private Path counts() {
        return logs.resolve("restarts.properties");
    }

    private Properties readCounts() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(counts())) {
            p.load(in);
        }
        return p;
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
