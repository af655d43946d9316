package dev.ordersaga.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** A real PostgreSQL 17 from zonky's Maven binaries, configured for logical decoding and durability. */
final class Postgres implements AutoCloseable {

    private final EmbeddedPostgres pg;
    private final int port;

    private Postgres(EmbeddedPostgres pg, int port) {
        this.pg = pg;
        this.port = port;
    }

    static Postgres start(Path dataDir, Path workDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(workDir);
        Orphans.stopPostmaster(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(workDir.toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                // logical decoding for the relay
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "32")
                .setServerConfig("max_wal_senders", "32")
                // zonky turns both off; a stack that can lose committed orders is not our default,
                // and the WAL sender only ships flushed WAL, so commit latency depends on them too
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        return new Postgres(pg, port);
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void createDatabases(List<String> names) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    if (rs.next()) {
                        continue;
                    }
                }
                s.execute("CREATE DATABASE " + name);
            }
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
