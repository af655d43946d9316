package dev.ordersaga.outbox;

import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.outbox.schema.OutboxSchema;
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
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class OutboxTest {

    @Inject
    Outbox outbox;

    @Inject
    Inbox inbox;

    @Inject
    Retention retention;

    @Inject
    Cancellations cancellations;

    @Inject
    EntityManager em;

    @Test
    void theEventCommitsWithTheStateChange() {
        String orderId = UUID.randomUUID().toString();
        UUID eventId = QuarkusTransaction.requiringNew().call(() -> {
            em.persist(Widget.named("w-" + orderId));
            return outbox.add(new InventoryEvent.StockRejected(orderId, InventoryEvent.StockRejected.Reason.OUT_OF_STOCK, "SKU-1"));
        });

        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT aggregatetype, aggregateid, type, jsonb_typeof(payload), payload->>'reason', payload->>'version'
                FROM outbox WHERE id = ?1""").setParameter(1, eventId).getSingleResult());
        assertThat(row).containsExactly("inventory", orderId, "StockRejected", "object", "OUT_OF_STOCK", "2");
    }

    @Test
    void aRolledBackTransactionLeavesNoEvent() {
        String orderId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            em.persist(Widget.named("w-" + orderId));
            outbox.add(new InventoryEvent.StockReserved(orderId, java.util.List.of()));
            throw new IllegalStateException("the business step failed");
        })).hasMessage("the business step failed");
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = '" + orderId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM widget WHERE name = 'w-" + orderId + "'")).isZero();
    }

    @Test
    void thereIsNoWayToWriteAnEventOutsideATransaction() {
        assertThatThrownBy(() -> outbox.add(new InventoryEvent.StockReserved("o-1", java.util.List.of())))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void theInboxAcceptsAnEventOncePerConsumer() {
        UUID eventId = UUID.randomUUID();
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.record("stock", List.of(eventId)))).containsExactly(eventId);
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.record("stock", List.of(eventId)))).isEmpty();
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.record("coupons", List.of(eventId)))).containsExactly(eventId);
    }

    @Test
    void aBatchReturnsOnlyTheEventsNotSeenBeforeEvenWhenOneComesTwice() {
        UUID seen = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> inbox.record("stock", List.of(seen)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.record("stock", List.of(seen, fresh, fresh))))
                .containsExactly(fresh);
    }

    @Test
    void aRolledBackApplyDoesNotMarkTheEventApplied() {
        UUID eventId = UUID.randomUUID();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            assertThat(inbox.record("stock", List.of(eventId))).containsExactly(eventId);
            throw new IllegalStateException("applying failed");
        })).hasMessage("applying failed");
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.record("stock", List.of(eventId)))).containsExactly(eventId);
    }

    @Test
    void retentionDeletesOnlyRowsPastTheirAge() {
        String orderId = UUID.randomUUID().toString();
        UUID fresh = QuarkusTransaction.requiringNew().call(() -> outbox.add(new InventoryEvent.StockReserved(orderId, java.util.List.of())));
        UUID seen = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> inbox.record("retention-test", List.of(seen)));
        QuarkusTransaction.requiringNew().run(() -> cancellations.remember(orderId, Instant.now()));
        QuarkusTransaction.requiringNew().run(() -> cancellations.remember(orderId, Instant.now()));

        UUID stillParked = UUID.randomUUID();
        UUID resolved = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO parked_event (consumer, event_id, topic, kafka_partition, kafka_offset, reason, status, parked_at, resolved_at)
                        VALUES ('retention-test', ?1, 't', 0, 0, 'r', 'parked', now(), NULL),
                               ('retention-test', ?2, 't', 0, 1, 'r', 'skipped', now(), now())""")
                .setParameter(1, stillParked).setParameter(2, resolved).executeUpdate());

        retention.purge(Instant.now());
        assertThat(count("SELECT count(*) FROM outbox_journal WHERE event_id = '" + fresh + "'")).as("journaled by the trigger").isOne();
        assertThat(count("SELECT count(*) FROM parked_event WHERE consumer = 'retention-test'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + fresh + "'")).isOne();
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = '" + seen + "'")).isOne();
        assertThat(QuarkusTransaction.requiringNew().call(() -> cancellations.isCancelled(orderId))).isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> cancellations.isCancelled(UUID.randomUUID().toString()))).isFalse();

        retention.purge(Instant.now().plus(Duration.ofDays(30)));
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + fresh + "'")).isZero();
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = '" + seen + "'")).isZero();
        assertThat(QuarkusTransaction.requiringNew().call(() -> cancellations.isCancelled(orderId))).as("kept as long as the inbox").isFalse();
        assertThat(count("SELECT count(*) FROM outbox_journal WHERE event_id = '" + fresh + "'")).isZero();
        assertThat(count("SELECT count(*) FROM parked_event WHERE consumer = 'retention-test' AND event_id = '" + stillParked + "'"))
                .as("a parked event waits for an operator, however old").isOne();
        assertThat(count("SELECT count(*) FROM parked_event WHERE event_id = '" + resolved + "'")).isZero();
    }

    @Test
    void migrationsCreateTheSlotAndAFilteredPublication() {
        String database = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT current_database()")
                .getSingleResult());
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + OutboxSchema.slotName(database)
                + "' AND plugin = 'pgoutput'")).isOne();
        @SuppressWarnings("unchecked")
        List<String> tables = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = '" + OutboxSchema.PUBLICATION + "' ORDER BY 1")
                .getResultList());
        assertThat(tables).containsExactly("outbox", "outbox_heartbeat");
        assertThat(count("SELECT count(*) FROM pg_publication WHERE pubname = 'outbox_publication' AND NOT pubdelete")).isOne();
        // created_at stays in the database: pgoutput sends only the columns a relay publishes
        String published = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT array_to_string(attnames, ',') FROM pg_publication_tables WHERE pubname = '" + OutboxSchema.PUBLICATION
                        + "' AND tablename = 'outbox'").getSingleResult());
        assertThat(published.split(",")).containsExactlyInAnyOrder("id", "aggregatetype", "aggregateid", "type", "payload",
                OutboxSchema.TRACEPARENT);
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
