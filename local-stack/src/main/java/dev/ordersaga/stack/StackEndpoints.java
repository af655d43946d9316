package dev.ordersaga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** Where a running stack listens, and the folder of its token keys ({@link LocalTokens}). */
public record StackEndpoints(int postgresPort, String bootstrapServers, Path tokenKeys) {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final List<String> DATABASES = List.of("orders", "inventory", "coupons", "relay");

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    /**
     * A connection as the stack's superuser. Through the driver itself, not DriverManager, which does not
     * see a driver loaded by another class loader (as in a restarted Quarkus test).
     */
    public java.sql.Connection connect(String database) throws java.sql.SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return new org.postgresql.Driver().connect(jdbcUrl(database), p);
    }

    /** Signs tokens the stack's services trust. */
    public LocalTokens tokens() {
        return LocalTokens.in(tokenKeys);
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("postgres.port", Integer.toString(postgresPort));
        p.setProperty("kafka.bootstrap.servers", bootstrapServers);
        p.setProperty("token.keys", tokenKeys.toAbsolutePath().toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, null);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static StackEndpoints read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return new StackEndpoints(Integer.parseInt(p.getProperty("postgres.port")), p.getProperty("kafka.bootstrap.servers"),
                Path.of(p.getProperty("token.keys")));
    }
}
