package dev.ordersaga.outbox.consumer;

import dev.ordersaga.outbox.RuleViolation;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures park and which are retried. */
class RefusalTest {

    @Test
    void aRuleViolationAndDataNotNullAndCheckErrorsParkWhereverTheyAreInTheChain() {
        assertThat(Refusal.of(new RuleViolation("no units"))).contains("refused by the domain: no units");
        assertThat(Refusal.of(wrapped(new SQLException("value too long", "22001")))).get().asString().contains("22001");
        assertThat(Refusal.of(wrapped(new SQLException("null value", "23502")))).isPresent();
        assertThat(Refusal.of(wrapped(new SQLException("check", "23514")))).isPresent();
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0], null);
        batch.setNextException(new SQLException("check", "23514"));
        assertThat(Refusal.of(wrapped(batch))).as("the real cause of a batch is its next exception").isPresent();
    }

    @Test
    void everyOtherFailureIsRetried() {
        for (String state : new String[] {"23505", "40001", "40P01", "55P03", "57014", "08006", null}) {
            assertThat(Refusal.of(wrapped(new SQLException("transient", state)))).as(String.valueOf(state)).isEmpty();
        }
        assertThat(Refusal.of(new IllegalStateException("database hiccup"))).isEmpty();
    }

    private static RuntimeException wrapped(SQLException e) {
        return new IllegalStateException("commit failed", new RuntimeException("could not execute statement", e));
    }
}
