package dev.ordersaga.outbox;

import dev.ordersaga.events.InventoryEvent.StockReleased;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.stack.LocalStackResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class DelayedEventsTest {

    @Inject
    Outbox outbox;

    @Inject
    DelayedEvents delayed;

    @Inject
    EntityManager em;

    @Test
    void aDelayedEventEntersTheOutboxAtItsTimeWithTheIdItWasGiven() {
        String orderId = UUID.randomUUID().toString();
        Instant due = Instant.now().plusMillis(700);
        Outbox.Scheduled handle = QuarkusTransaction.requiringNew().call(() -> outbox.schedule(new StockReserved(orderId, java.util.List.of()), due));

        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE id = '" + handle.eventId() + "'")).isOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> inOutbox(handle) == 1);

        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT aggregatetype, aggregateid, type, payload->>'orderId', created_at >= ?2
                FROM outbox WHERE id = ?1""").setParameter(1, handle.eventId()).setParameter(2, due).getSingleResult());
        assertThat(row).containsExactly("inventory", orderId, "StockReserved", orderId, true);
        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE id = '" + handle.eventId() + "'")).isZero();
        assertThat(QuarkusTransaction.requiringNew().call(() -> outbox.cancel(handle))).as("cancel after firing").isFalse();
    }

    @Test
    void aRolledBackTransactionSchedulesNothing() {
        String orderId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.schedule(new StockReserved(orderId, java.util.List.of()), Instant.now());
            throw new IllegalStateException("the business step failed");
        })).hasMessage("the business step failed");
        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE aggregateid = '" + orderId + "'")).isZero();
        assertThatThrownBy(() -> outbox.schedule(new StockReserved(orderId, java.util.List.of()), Instant.now()))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void aCancelInTheTransactionOfAStateChangeMeansItNeverFires() {
        String orderId = UUID.randomUUID().toString();
        Instant due = Instant.now().plusMillis(300);
        Outbox.Scheduled deadline = QuarkusTransaction.requiringNew().call(() ->
                outbox.schedule(new StockReleased(orderId), due));
        UUID stateChange = QuarkusTransaction.requiringNew().call(() -> {
            assertThat(outbox.cancel(deadline)).isTrue();
            return outbox.add(new StockReserved(orderId, java.util.List.of()));
        });

        // past its due time and several polls later it is neither pending nor in the outbox
        awaitPassesAfter(due);
        assertThat(inOutbox(deadline)).isZero();
        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE id = '" + deadline.eventId() + "'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + stateChange + "'")).isOne();
        assertThat(QuarkusTransaction.requiringNew().call(() -> outbox.cancel(deadline))).as("cancelled twice").isFalse();
    }

    @Test
    void aYearAheadStaysPendingUntilCancelled() {
        String orderId = UUID.randomUUID().toString();
        Outbox.Scheduled far = QuarkusTransaction.requiringNew().call(() ->
                outbox.schedule(new StockReserved(orderId, java.util.List.of()), Instant.now().plus(Duration.ofDays(366))));
        long passes = delayed.passes();
        await().atMost(Duration.ofSeconds(10)).until(() -> delayed.passes() >= passes + 2);
        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE id = '" + far.eventId() + "'")).isOne();
        assertThat(inOutbox(far)).isZero();
        assertThat(delayed.pendingCount()).isPositive();
        assertThat(QuarkusTransaction.requiringNew().call(() -> outbox.cancel(far))).isTrue();
    }

    /** Several instances poll one table: the poller of this app and four more "instances" at once. */
    @Test
    void concurrentFirersFireEachDueEventOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        int n = 3000;
        Instant due = Instant.now().plusMillis(500);
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < n; i++) {
                outbox.schedule(new StockReserved(orderId, java.util.List.of()), due);
            }
        });
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> fired = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fired.add(instances.submit(() -> {
                    while (Instant.now().isBefore(due)) {
                        Thread.onSpinWait();
                    }
                    int total = 0;
                    for (int k = 0; k < 20; k++) {
                        total += delayed.fireDue(Instant.now());
                    }
                    return total;
                }));
            }
            for (Future<Integer> f : fired) {
                // a second firing of one id would fail on the outbox's primary key and throw here
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            instances.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM outbox WHERE aggregateid = '" + orderId + "'") == n);
        assertThat(count("SELECT count(DISTINCT id) FROM outbox WHERE aggregateid = '" + orderId + "'")).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM outbox_delayed WHERE aggregateid = '" + orderId + "'")).isZero();
    }

    /** Many rounds of a cancel racing the firing at the due time: exactly one of the two wins each round. */
    @Test
    void aCancelRacingTheFiringEitherWithdrawsItOrFindsItFired() throws Exception {
        ExecutorService canceller = Executors.newSingleThreadExecutor();
        try {
            for (int r = 0; r < 30; r++) {
                int round = r;
                String orderId = UUID.randomUUID().toString();
                Instant due = Instant.now().plusMillis(50);
                Outbox.Scheduled handle = QuarkusTransaction.requiringNew().call(() ->
                        outbox.schedule(new StockReserved(orderId, java.util.List.of()), due));
                Future<Boolean> cancel = canceller.submit(() -> {
                    while (Instant.now().isBefore(due.plusMillis(round % 5))) {
                        Thread.onSpinWait();
                    }
                    return QuarkusTransaction.requiringNew().call(() -> outbox.cancel(handle));
                });
                boolean withdrawn = cancel.get(30, TimeUnit.SECONDS);
                if (withdrawn) {
                    awaitPassesAfter(due);
                    assertThat(inOutbox(handle)).as("round %d: withdrawn, so never fired", round).isZero();
                } else {
                    assertThat(inOutbox(handle)).as("round %d: not withdrawn, so it fired", round).isOne();
                }
            }
        } finally {
            canceller.shutdownNow();
        }
    }

    /** Until the poller has made two passes that started after {@code due}. */
    private void awaitPassesAfter(Instant due) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(due));
        long passes = delayed.passes();
        await().atMost(Duration.ofSeconds(10)).until(() -> delayed.passes() >= passes + 2);
    }

    private long inOutbox(Outbox.Scheduled handle) {
        return count("SELECT count(*) FROM outbox WHERE id = '" + handle.eventId() + "'");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
