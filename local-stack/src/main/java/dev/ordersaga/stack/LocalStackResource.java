package dev.ordersaga.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the test JVM's stack. Init arg {@code database} names the database
 * (default {@code orders}).
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    private String database = "orders";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        StackEndpoints stack = TestStack.shared();
        // as the service connects outside tests: its own role, which owns its database only
        Service owner = Service.owning(database)
                .orElseThrow(() -> new IllegalArgumentException("no service owns database " + database));
        return Map.of(
                "quarkus.datasource.jdbc.url", stack.jdbcUrl(database),
                "quarkus.datasource.username", owner.dbUser,
                "quarkus.datasource.password", owner.dbPassword(),
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "mp.jwt.verify.publickey.location", stack.tokens().publicKeyLocation());
    }

    @Override
    public void stop() {
        // the stack outlives a single Quarkus application: it stops with the test JVM
    }
}
