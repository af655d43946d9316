package dev.ordersaga.outbox.consumer;

import dev.ordersaga.outbox.RuleViolation;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which failures park an event: the domain's {@link RuleViolation}, and a database error that the same event would
 * hit every time (a data exception, SQLState class 22; a not-null or check violation, 23502 and 23514). Every other
 * failure (connection lost, lock or statement timeout, a unique key two deliveries raced for) is taken as transient
 * and retried.
 */
final class Refusal {

    private Refusal() {
    }

    /** Why {@code failure} will fail the same way again, or empty if a retry may succeed. */
    static Optional<String> of(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof Refused refused) {
                return Optional.of(refused.getMessage());
            }
            if (t instanceof RuleViolation violation) {
                return Optional.of("refused by the domain: " + violation.getMessage());
            }
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (isDeterministic(e.getSQLState())) {
                        return Optional.of("refused by the database (SQLState " + e.getSQLState() + "): " + e.getMessage());
                    }
                    if (e.getNextException() == e) {
                        break;
                    }
                }
            }
        }
        return Optional.empty();
    }

    static boolean isDeterministic(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.equals("23502") || sqlState.equals("23514"));
    }

    /** A failure classified as deterministic, so that the retry policy aborts on one type. */
    static final class Refused extends RuntimeException {

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
