package dev.ordersaga.relay;

import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A fresh source database with the outbox migrations applied, as a service would have it, and the relay
 * pointed at it. The database name is passed to the test as {@code test.source.database}.
 */
public class OutboxSources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        StackEndpoints stack = TestStack.shared();
        String db = OutboxDatabases.create(stack, "src");
        return Map.of(
                "relay.db.host", "127.0.0.1",
                "relay.db.port", Integer.toString(stack.postgresPort()),
                "relay.db.user", StackEndpoints.USER,
                "relay.db.password", StackEndpoints.PASSWORD,
                "relay.sources." + db + ".database", db,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "test.source.database", db);
    }

    @Override
    public void stop() {
        // the stack and its databases go with the test JVM
    }
}
