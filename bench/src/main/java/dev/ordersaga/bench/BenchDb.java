package dev.ordersaga.bench;

import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.StackEndpoints;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/** A source database with the outbox migrations, written to the way a service writes. */
final class BenchDb {

    static final String PAD = "x".repeat(440);

    final String name;
    private final StackEndpoints stack;

    /** The database is recorded in {@code cleanup} before it is made, so that it goes even if making it fails. */
    BenchDb(StackEndpoints stack, String prefix, Cleanup cleanup) {
        this.stack = stack;
        this.name = OutboxDatabases.uniqueName(prefix);
        cleanup.database(name);
        OutboxDatabases.createNamed(stack, name);
    }

    Connection connect() throws SQLException {
        Connection c = stack.connect(name);
        c.setAutoCommit(false);
        return c;
    }

    /** About 500 bytes of JSON per event, like a real order event. */
    static String payload(long seq) {
        return "{\"version\":1,\"seq\":" + seq + ",\"orderId\":\"" + UUID.randomUUID() + "\",\"pad\":\"" + PAD + "\"}";
    }

    /** Returns the event id, which the relay publishes as header {@code id}. */
    static UUID insert(Connection c, String aggregateType, String key, String payload) throws SQLException {
        try (PreparedStatement ps = OutboxDatabases.prepareInsert(c)) {
            UUID id = OutboxDatabases.bind(ps, aggregateType, key, "BenchEvent", payload);
            ps.executeUpdate();
            return id;
        }
    }

    /** {@code count} events of {@link #payload} in transactions of {@code perTx}, keys spread over 100 aggregates. */
    void fill(String aggregateType, int count, int perTx, Progress progress) throws SQLException {
        fill(aggregateType, count, perTx, BenchDb::payload, progress::update);
    }

    /** As {@link #fill(String, int, int, Progress)}; {@code committed} is told how many rows are committed so far. */
    void fill(String aggregateType, int count, int perTx, LongFunction<String> payload, LongConsumer committed) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = OutboxDatabases.prepareInsert(c)) {
            for (int i = 0; i < count; i++) {
                OutboxDatabases.bind(ps, aggregateType, "agg-" + (i % 100), "BenchEvent", payload.apply(i));
                ps.addBatch();
                if ((i + 1) % perTx == 0 || i == count - 1) {
                    ps.executeBatch();
                    c.commit();
                    committed.accept(i + 1);
                }
            }
        }
    }
}
