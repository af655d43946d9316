package dev.ordersaga.system;

import dev.ordersaga.stack.Slots;
import dev.ordersaga.stack.StackEndpoints;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A throwaway service database with the outbox migrations, for relay tests; writes rows like a service. */
final class SourceDatabase implements AutoCloseable {

    final String name;
    final String slot;
    private final StackEndpoints stack;
    private final Connection connection;

    SourceDatabase(StackEndpoints stack, String prefix) throws SQLException {
        this.stack = stack;
        this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.slot = "outbox_" + name;
        try (Connection c = stack.connect("postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Flyway.configure().dataSource(stack.jdbcUrl(name), StackEndpoints.USER, StackEndpoints.PASSWORD)
                .locations("classpath:db/outbox").load().migrate();
        connection = stack.connect(name);
        connection.setAutoCommit(false);
    }

    /** One transaction of outbox rows; returns their event ids. */
    synchronized java.util.List<UUID> commit(String aggregateType, java.util.List<String[]> keyAndPayload) throws SQLException {
        java.util.List<UUID> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, ?, ?, 'Tick', CAST(? AS jsonb))")) {
            for (String[] kp : keyAndPayload) {
                UUID id = UUID.randomUUID();
                ps.setObject(1, id);
                ps.setString(2, aggregateType);
                ps.setString(3, kp[0]);
                ps.setString(4, kp[1]);
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        connection.commit();
        return ids;
    }

    void loseSlot() throws Exception {
        Slots.lose(stack, slot);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
