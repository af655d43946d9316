package dev.ordersaga.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stack JVM that shuts down stops PostgreSQL once, itself, after Kafka: zonky's own shutdown hook would stop it in
 * parallel with the stack's ordered stop.
 */
class StackShutdownTest {

    @TempDir
    Path home;

    @Test
    void postgresStopsOnceAndAfterKafka() throws Exception {
        // zonky says when it has shut a postmaster down, at INFO
        Process stack = TestStack.launch(home, List.of("-Dorg.slf4j.simpleLogger.log.io.zonky=info"));
        try {
            TestStack.awaitStarted(stack, home);
            assertThat(home.resolve("stack.pid")).exists();

            stack.getOutputStream().close(); // what the owner JVM going away does
            assertThat(stack.waitFor(2, TimeUnit.MINUTES)).as("stack stopped").isTrue();

            List<String> log = Files.readAllLines(home.resolve("stack.log"));
            int kafkaStopped = indexOf(log, "[local-stack] Kafka stopped");
            List<Integer> postmasterStops = IntStream.range(0, log.size())
                    .filter(i -> log.get(i).contains("shut down postmaster")).boxed().toList();
            assertThat(kafkaStopped).as("Kafka stopped, in %s", log).isNotNegative();
            assertThat(postmasterStops).as("postmaster shut down once, in %s", log).hasSize(1);
            assertThat(postmasterStops.get(0)).as("PostgreSQL after Kafka").isGreaterThan(kafkaStopped);
            assertThat(indexOf(log, "[local-stack] PostgreSQL stopped")).isGreaterThan(postmasterStops.get(0));
            assertThat(home.resolve("stack.pid")).doesNotExist();
        } finally {
            stack.destroyForcibly();
            Orphans.stopPostmaster(home.resolve("pg"));
        }
    }

    private static int indexOf(List<String> log, String text) {
        return IntStream.range(0, log.size()).filter(i -> log.get(i).contains(text)).findFirst().orElse(-1);
    }
}
