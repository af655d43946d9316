package dev.ordersaga.bench;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.Slots;
import dev.ordersaga.stack.StackEndpoints;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the bench creates on a stack, removed when it ends, after a failure too: each source database with its
 * replication slot (a slot left behind pins WAL on a `make run` stack for good) and the relay's offsets table for it,
 * and the topics its events went to. Names are recorded before the things exist, so a run that fails half-way
 * leaves nothing either; what does not exist is skipped.
 */
final class Cleanup implements AutoCloseable {

    private final StackEndpoints stack;
    private final Set<String> databases = new LinkedHashSet<>();
    private final Set<String> topics = new LinkedHashSet<>();

    Cleanup(StackEndpoints stack) {
        this.stack = stack;
    }

    synchronized void database(String name) {
        databases.add(name);
    }

    synchronized void topic(String name) {
        topics.add(name);
    }

    /** Prints one line that says what was removed (and what could not be). */
    @Override
    public void close() {
        System.out.println(removeAll());
    }

    /** Removes everything recorded so far; returns the line that says what went. */
    synchronized String removeAll() {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String db : databases) {
            String slot = OutboxSchema.slotName(db);
            try {
                if (exists("postgres", "SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                    // cuts off a relay still streaming from it first
                    Slots.lose(stack, slot);
                    removed.add("slot " + slot);
                }
                if (exists("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    execute("postgres", "DROP DATABASE " + db + " WITH (FORCE)");
                    removed.add("database " + db);
                }
                // the relay keeps a source's offsets in a table of its offsets database
                String offsets = OutboxSchema.relayOffsetsTable(db);
                String relayDb = Service.OUTBOX_RELAY.database;
                if (exists(relayDb, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + offsets + "'")) {
                    execute(relayDb, "DROP TABLE " + offsets);
                    removed.add("table " + relayDb + "." + offsets);
                }
            } catch (SQLException | RuntimeException e) {
                failed.add(db + " (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(db + " (interrupted)");
            }
        }
        if (!topics.isEmpty()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                List<String> ours = topics.stream().filter(existing::contains).toList();
                if (!ours.isEmpty()) {
                    admin.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
                    ours.forEach(t -> removed.add("topic " + t));
                }
            } catch (Exception e) {
                failed.add("topics " + topics + " (" + e.getMessage() + ")");
            }
        }
        databases.clear();
        topics.clear();
        return "bench: removed " + (removed.isEmpty() ? "nothing it created" : String.join(", ", removed))
                + (failed.isEmpty() ? "" : "; could not remove " + String.join(", ", failed));
    }

    private boolean exists(String database, String query) throws SQLException {
        try (Connection c = stack.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    private void execute(String database, String sql) throws SQLException {
        try (Connection c = stack.connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
