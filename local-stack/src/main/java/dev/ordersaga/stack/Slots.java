package dev.ordersaga.stack;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** For failure tests: what an operator's mistake or a lost disk does to a replication slot. */
public final class Slots {

    private Slots() {
    }

    /** Drops the slot, first cutting off whoever streams from it (a relay reconnects at once). */
    public static void lose(StackEndpoints stack, String slot) throws SQLException, InterruptedException {
        try (Connection c = stack.connect("postgres");
             Statement s = c.createStatement()) {
            for (int attempt = 0; attempt < 200; attempt++) {
                s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot
                        + "' AND active_pid IS NOT NULL");
                try {
                    s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
                    return;
                } catch (SQLException stillActive) {
                    Thread.sleep(20);
                }
            }
            throw new IllegalStateException("could not drop " + slot);
        }
    }
}
