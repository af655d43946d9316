package dev.ordersaga.stack;

import dev.ordersaga.outbox.schema.OutboxSchema;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * For relay tests and the benchmark: a throwaway service database with the outbox migrations (the migrations come
 * from {@code outbox-schema}), written to with plain SQL as a service would.
 */
public final class OutboxDatabases {

    private static final String INSERT =
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, ?, ?, ?, CAST(? AS jsonb))";

    private OutboxDatabases() {
    }

    /** Creates {@code <prefix>_<random>} and migrates it; returns its name. Its slot is {@code outbox_<name>}. */
    public static String create(StackEndpoints stack, String prefix) {
        String name = uniqueName(prefix);
        createNamed(stack, name);
        return name;
    }

    /** {@code <prefix>_<random>}: for a caller that must know the name before the database exists (to remove it). */
    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Creates the database and migrates it, as {@link #create} does. */
    public static void createNamed(StackEndpoints stack, String name) {
        try (Connection c = stack.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed", e);
        }
        Flyway.configure().dataSource(stack.jdbcUrl(name), StackEndpoints.USER, StackEndpoints.PASSWORD)
                .locations("classpath:" + OutboxSchema.LOCATION).load().migrate();
        // what the relay's role may do in a service database, as Postgres provisions it for the services
        try (Connection c = stack.connect(name); Statement s = c.createStatement()) {
            Postgres.grantRelay(s, name);
        } catch (SQLException e) {
            throw new IllegalStateException("granting the relay access to " + name + " failed", e);
        }
    }

    /** A statement that adds outbox rows: bind them with {@link #bind}, then execute or batch. */
    public static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return c.prepareStatement(INSERT);
    }

    /** Binds one row to a statement from {@link #prepareInsert}; returns the event id. */
    public static UUID bind(PreparedStatement insert, String aggregateType, String key, String type, String payloadJson)
            throws SQLException {
        UUID id = UUID.randomUUID();
        insert.setObject(1, id);
        insert.setString(2, aggregateType);
        insert.setString(3, key);
        insert.setString(4, type);
        insert.setString(5, payloadJson);
        return id;
    }
}
