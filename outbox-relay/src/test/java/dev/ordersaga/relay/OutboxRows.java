package dev.ordersaga.relay;

import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.TestStack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Writes outbox rows the way a service does (plain SQL, one transaction), for the relay tests. */
final class OutboxRows implements AutoCloseable {

    final Connection connection;

    OutboxRows(String database) throws SQLException {
        connection = TestStack.shared().connect(database);
        connection.setAutoCommit(false);
    }

    UUID add(String aggregateType, String aggregateId, String type, String payloadJson) throws SQLException {
        try (PreparedStatement ps = OutboxDatabases.prepareInsert(connection)) {
            UUID id = OutboxDatabases.bind(ps, aggregateType, aggregateId, type, payloadJson);
            ps.executeUpdate();
            return id;
        }
    }

    /** A row as {@code Outbox.add} writes it inside a span: with its traceparent. */
    UUID add(String aggregateType, String aggregateId, String type, String payloadJson, String traceparent) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, traceparent)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)""")) {
            ps.setObject(1, id);
            ps.setString(2, aggregateType);
            ps.setString(3, aggregateId);
            ps.setString(4, type);
            ps.setString(5, payloadJson);
            ps.setString(6, traceparent);
            ps.executeUpdate();
        }
        return id;
    }

    void commit() throws SQLException {
        connection.commit();
    }

    void rollback() throws SQLException {
        connection.rollback();
    }

    long queryLong(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            connection.commit();
            return v;
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
