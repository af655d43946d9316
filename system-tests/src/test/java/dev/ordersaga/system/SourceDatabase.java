package dev.ordersaga.system;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.Slots;
import dev.ordersaga.stack.StackEndpoints;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** A throwaway service database with the outbox migrations, for relay tests; writes rows like a service. */
final class SourceDatabase implements AutoCloseable {

    final String name;
    final String slot;
    private final StackEndpoints stack;
    private final Connection connection;

    SourceDatabase(StackEndpoints stack, String prefix) throws SQLException {
        this.stack = stack;
        this.name = OutboxDatabases.create(stack, prefix);
        this.slot = OutboxSchema.slotName(name);
        connection = stack.connect(name);
        connection.setAutoCommit(false);
    }

    /** One transaction of outbox rows; returns their event ids. */
    synchronized java.util.List<UUID> commit(String aggregateType, java.util.List<String[]> keyAndPayload) throws SQLException {
        java.util.List<UUID> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = OutboxDatabases.prepareInsert(connection)) {
            for (String[] kp : keyAndPayload) {
                ids.add(OutboxDatabases.bind(ps, aggregateType, kp[0], "Tick", kp[1]));
                ps.addBatch();
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
