package dev.ordersaga.system;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * A source that cannot be streamed without skipping events (its slot was dropped while the relay was stopped) is
 * refused and the relay says why, in its log and its readiness; the relay's other sources stream on.
 */
class RelayFailureIT {

    private final StackEndpoints stack = TestStack.shared();

    @Test
    void aLostSlotIsRefusedNamingTheDatabaseAndSlotWhileTheOtherSourceStreams() throws Exception {
        String aggregateType = "iso" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (SourceDatabase lost = new SourceDatabase(stack, "noslot");
             SourceDatabase fine = new SourceDatabase(stack, "fine");
             TopicReader reader = new TopicReader(stack.bootstrapServers(), aggregateType + ".events")) {
            lost.loseSlot();
            AppProcess relay = RunningSystem.startUnready(Service.OUTBOX_RELAY, stack,
                    Map.of("RELAY_DATABASES", lost.name + "," + fine.name));
            try {
                List<UUID> ids = fine.commit(aggregateType, List.<String[]>of(new String[] {"k", "{\"n\": 1}"}));
                assertThat(reader.until(r -> !r.isEmpty(), Duration.ofSeconds(120)))
                        .extracting(r -> TopicReader.header(r, "id")).containsExactly(ids.get(0).toString());

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get(relay.url() + "/q/health/ready")
                        .then().statusCode(503)
                        .body(containsString("refused: replication slot " + lost.slot + " does not exist"))
                        .body(containsString("database " + lost.name)));
                assertThat(relay.process().isAlive()).isTrue();
                assertThat(Files.readString(relay.log())).contains("does not stream")
                        .contains("replication slot " + lost.slot + " does not exist");
            } finally {
                relay.close();
            }
        }
    }
}
