package dev.ordersaga.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** `make run` twice on the same data: the second start finds passwords required and provisions again. */
class PostgresRestartTest {

    @TempDir
    Path home;

    @Test
    void startsAgainOnItsOwnDataOncePasswordsAreRequired() throws Exception {
        Path binaries = RepoRoot.find().orElse(home).resolve(".local").resolve("pg-binaries");
        int port = Ports.free();
        try (Postgres pg = Postgres.start(home.resolve("pg"), binaries, port)) {
            pg.provision();
            // the start time PostgreSQL writes in its postmaster.pid is the one of its live process (PidFile)
            assertThat(PidFile.livePostmaster(home.resolve("pg").resolve("postmaster.pid"))).isPresent();
        }
        try (Postgres pg = Postgres.start(home.resolve("pg"), binaries, port)) {
            pg.provision();
            Properties p = new Properties();
            p.setProperty("user", Service.ORDER_APP.dbUser);
            p.setProperty("password", Service.ORDER_APP.dbPassword());
            try (Connection c = new org.postgresql.Driver().connect(pg.jdbcUrl("orders"), p); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'outbox_orders'")) {
                rs.next();
                assertThat(rs.getInt(1)).isOne();
            }
        }
    }
}
