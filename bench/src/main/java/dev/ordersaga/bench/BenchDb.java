package dev.ordersaga.bench;

import dev.ordersaga.stack.StackEndpoints;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A source database with the outbox migrations, written to the way a service writes. */
final class BenchDb {

    static final String PAD = "x".repeat(440);

    final String name;
    private final StackEndpoints stack;

    BenchDb(StackEndpoints stack, String prefix) throws SQLException {
        this.stack = stack;
        this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = stack.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Flyway.configure().dataSource(stack.jdbcUrl(name), StackEndpoints.USER, StackEndpoints.PASSWORD)
                .locations("classpath:db/outbox").load().migrate();
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
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, ?, ?, 'BenchEvent', CAST(? AS jsonb))")) {
            ps.setObject(1, id);
            ps.setString(2, aggregateType);
            ps.setString(3, key);
            ps.setString(4, payload);
            ps.executeUpdate();
        }
        return id;
    }

    /** {@code count} events in transactions of {@code perTx}, keys spread over 100 aggregates. */
    void fill(String aggregateType, int count, int perTx, Progress progress) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, ?, ?, 'BenchEvent', CAST(? AS jsonb))")) {
            for (int i = 0; i < count; i++) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, aggregateType);
                ps.setString(3, "agg-" + (i % 100));
                ps.setString(4, payload(i));
                ps.addBatch();
                if ((i + 1) % perTx == 0 || i == count - 1) {
                    ps.executeBatch();
                    c.commit();
                    progress.update(i + 1);
                }
            }
        }
    }
}
