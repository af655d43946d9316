package dev.ordersaga.relay;

import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh source database with the outbox migrations applied, as a service would have it, and the relay
 * pointed at it. The database name is passed to the test as {@code test.source.database}.
 */
public class OutboxSources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        StackEndpoints stack = TestStack.shared();
        String db = "src_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        create(stack, db);
        return Map.of(
                "relay.db.host", "127.0.0.1",
                "relay.db.port", Integer.toString(stack.postgresPort()),
                "relay.db.user", StackEndpoints.USER,
                "relay.db.password", StackEndpoints.PASSWORD,
                "relay.sources." + db + ".database", db,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "test.source.database", db);
    }

    static void create(StackEndpoints stack, String db) {
        try (Connection c = stack.connect("postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Flyway.configure()
                .dataSource(stack.jdbcUrl(db), StackEndpoints.USER, StackEndpoints.PASSWORD)
                .locations("classpath:db/outbox")
                .load()
                .migrate();
    }

    @Override
    public void stop() {
        // the stack and its databases go with the test JVM
    }
}
