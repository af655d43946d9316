package dev.ordersaga.system;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Ports;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A relay that cannot stream without skipping events must say so and exit non-zero, never carry on. */
class RelayFailureIT {

    private final StackEndpoints stack = TestStack.shared();

    @Test
    void aRelayStartedOnALostSlotExitsNamingTheDatabaseAndSlot() throws Exception {
        try (SourceDatabase db = new SourceDatabase(stack, "noslot")) {
            db.loseSlot();
            AppProcess relay = startUnchecked(db);
            assertThat(relay.waitFor(Duration.ofSeconds(120))).isNotZero();
            String log = Files.readString(relay.log());
            assertThat(log).contains("replication slot " + db.slot + " does not exist").contains("database " + db.name);
        }
    }

    @Test
    void losingTheSlotWhileStreamingTakesTheRelayDown() throws Exception {
        String aggregateType = "lost" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (SourceDatabase db = new SourceDatabase(stack, "lostslot");
             TopicReader reader = new TopicReader(stack.bootstrapServers(), aggregateType + ".events")) {
            AppProcess relay = RunningSystem.start(Service.OUTBOX_RELAY, stack, Map.of("RELAY_DATABASES", db.name));
            db.commit(aggregateType, List.<String[]>of(new String[] {"k", "{\"n\": 1}"}));
            reader.until(r -> !r.isEmpty(), Duration.ofSeconds(60));

            db.loseSlot();
            assertThat(relay.waitFor(Duration.ofSeconds(120))).isNotZero();
            assertThat(Files.readString(relay.log())).contains("exits with status 1").contains(db.slot);
        }
    }

    private AppProcess startUnchecked(SourceDatabase db) throws Exception {
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(Service.OUTBOX_RELAY.environment(stack, port));
        env.put("RELAY_DATABASES", db.name);
        return AppProcess.start("outbox-relay-" + port, Service.OUTBOX_RELAY.jar(RunningSystem.repo()), port, env,
                RunningSystem.logs(), Service.OUTBOX_RELAY.jvmArgs());
    }
}
