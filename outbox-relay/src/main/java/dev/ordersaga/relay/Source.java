package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;

/** A source database as the relay connects to it. */
record Source(String name, String host, int port, String database, String user, String password, String slot,
              String publication) {

    static Source from(String name, RelayConfig.Source s, RelayConfig.Connection db) {
        return new Source(name, s.host().orElse(db.host()), s.port().orElse(db.port()), s.database(), db.user(),
                db.password(), s.slot().orElse(OutboxSchema.slotName(s.database())), s.publication());
    }

    static Source of(String database, RelayConfig.Connection db) {
        return new Source(database, db.host(), db.port(), database, db.user(), db.password(), OutboxSchema.slotName(database),
                OutboxSchema.PUBLICATION);
    }

    /** Through the driver itself: DriverManager misses drivers of other class loaders (Quarkus tests restart apps). */
    java.sql.Connection connect() throws java.sql.SQLException {
        return connect(new java.util.Properties());
    }

    /** With extra driver properties (timeouts, keepalive, application name). */
    java.sql.Connection connect(java.util.Properties extra) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(extra);
        p.setProperty("user", user);
        p.setProperty("password", password);
        return new org.postgresql.Driver().connect(jdbcUrl(), p);
    }

    String jdbcUrl() {
        return jdbcUrl(database);
    }

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    /** For error messages: names the database and the slot an operator has to look at. */
    String describe() {
        return "source '" + name + "' (database " + database + " at " + host + ":" + port + ", slot " + slot + ")";
    }
}
