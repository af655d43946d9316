package dev.ordersaga.bench;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile's summary names the method the CPU was in. */
class JfrProfileTest {

    private static volatile long sink;

    @Test
    void theBusiestMethodComesFirst(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                spin();
            }
            r.stop();
            r.dump(file);
        }

        List<String> top = JfrProfile.topFrames(file, 3);
        assertThat(top).isNotEmpty();
        assertThat(top.get(0)).matches("\\d+\\.\\d% .*").contains(JfrProfileTest.class.getName() + ".spin");
        assertThat(JfrProfile.topCallers(file, 3)).noneMatch(f -> f.contains(" java.") || f.contains(" jdk."));
    }

    private static void spin() {
        long x = sink;
        for (int i = 0; i < 100_000; i++) {
            x = x * 31 + i;
        }
        sink = x;
    }
}
