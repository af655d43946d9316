package dev.ordersaga.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

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
                // zonky's own JVM shutdown hook would fast-stop PostgreSQL in parallel with the stack's ordered stop
                // (services, Kafka, then PostgreSQL), failing the relay's last offset flush and in-flight consumer
                // transactions: the stack stops it itself, last (LocalStack.close). A JVM killed outright never ran
                // hooks anyway: the next start stops a leftover postmaster (Orphans.stopPostmaster).
                .setRegisterShutdownHook(false)
                // zonky's start-up check connects as postgres: with its password once provision() required one
                .setConnectConfig("password", StackEndpoints.PASSWORD)
                // logical decoding for the relay
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "32")
                .setServerConfig("max_wal_senders", "32")
                // a slot that falls further behind than this is invalidated rather than filling the disk: the relay
                // then refuses that source and says why, instead of every database on the box stopping for want of space
                .setServerConfig("max_slot_wal_keep_size", "1GB")
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

    /**
     * Passwords for every connection (no {@code trust}), a role per service that owns its database and nothing else,
     * and the relay's role, the only one with REPLICATION, which may read the outbox tables and move the heartbeat.
     * As Kubernetes' outbox-db-setup job does (k8s/README.md, "Least privilege"): a service database gets the
     * outbox's first migration (tables and publication) as its service's role, then its slot, made after the
     * publication so that decoding never meets WAL older than it. The service's own migrations then find the slot
     * (its role cannot make one). Safe to run on every start, and on data of an older stack: owners are moved over.
     */
    void provision() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + StackEndpoints.PASSWORD + "'");
            requirePasswords(s);
            for (Service service : Service.values()) {
                role(s, service.dbUser, service.dbPassword(), service == Service.OUTBOX_RELAY);
            }
            for (Service service : Service.values()) {
                database(s, service.database, service.dbUser);
            }
        }
        for (Service service : Service.values()) {
            if (service == Service.OUTBOX_RELAY) {
                continue;
            }
            try (Connection c = connect(service.database); Statement s = c.createStatement()) {
                moveOwnership(s, service.dbUser);
                if (!exists(s, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'outbox'")) {
                    org.flywaydb.core.Flyway.configure().dataSource(jdbcUrl(service.database), service.dbUser, service.dbPassword())
                            .locations("classpath:" + dev.ordersaga.outbox.schema.OutboxSchema.LOCATION).target("0.1").load().migrate();
                }
                grantRelay(s, service.database);
                String slot = dev.ordersaga.outbox.schema.OutboxSchema.slotName(service.database);
                s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput') "
                        + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "')");
            }
        }
    }

    /** The relay's role in a service database: connect, read the outbox tables, move the heartbeat. */
    static void grantRelay(Statement s, String database) throws SQLException {
        String relay = Service.OUTBOX_RELAY.dbUser;
        s.execute("GRANT CONNECT ON DATABASE \"" + database + "\" TO " + relay);
        s.execute("GRANT SELECT ON outbox, outbox_heartbeat TO " + relay);
        s.execute("GRANT UPDATE ON outbox_heartbeat TO " + relay);
    }

    /** pg_hba.conf: a password for everyone over TCP; physical replication for the relay only; no local socket. */
    private void requirePasswords(Statement s) throws SQLException {
        Path hba;
        try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            hba = Path.of(rs.getString(1));
        }
        String wanted = """
                # Written by the local stack (Postgres.java): every connection needs its role's password.
                host  all          all    127.0.0.1/32  scram-sha-256
                host  replication  %s  127.0.0.1/32  scram-sha-256
                """.formatted(Service.OUTBOX_RELAY.dbUser);
        try {
            if (!Files.exists(hba) || !Files.readString(hba).equals(wanted)) {
                Files.writeString(hba, wanted);
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (IOException e) {
            throw new SQLException("cannot write " + hba, e);
        }
    }

    private static void role(Statement s, String name, String password, boolean replication) throws SQLException {
        if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + name + "'")) {
            s.execute("CREATE ROLE " + name);
        }
        s.execute("ALTER ROLE " + name + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
                + (replication ? "REPLICATION" : "NOREPLICATION") + " PASSWORD '" + password + "'");
    }

    private static void database(Statement s, String name, String owner) throws SQLException {
        if (exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            s.execute("ALTER DATABASE " + name + " OWNER TO " + owner);
        } else {
            s.execute("CREATE DATABASE " + name + " OWNER " + owner);
        }
        s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + name + " FROM PUBLIC");
    }

    /** Tables, views and the publication of an older stack (made as postgres) go to the service's role. */
    private static void moveOwnership(Statement s, String owner) throws SQLException {
        s.execute("""
                DO $$ DECLARE r record; BEGIN
                  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND pg_get_userbyid(c.relowner) <> '%1$s' LOOP
                    EXECUTE format('ALTER %%s public.%%I OWNER TO %1$s', CASE r.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, r.relname);
                  END LOOP;
                  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'outbox_publication'
                             AND pg_get_userbyid(pubowner) <> '%1$s') THEN
                    ALTER PUBLICATION outbox_publication OWNER TO %1$s;
                  END IF;
                END $$""".formatted(owner));
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    private Connection connect(String database) throws SQLException {
        // the driver itself, not DriverManager (see StackEndpoints.connect); trust accepts the password too
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", StackEndpoints.USER);
        p.setProperty("password", StackEndpoints.PASSWORD);
        return new org.postgresql.Driver().connect(jdbcUrl(database), p);
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
