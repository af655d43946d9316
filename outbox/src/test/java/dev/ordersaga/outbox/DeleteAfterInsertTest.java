package dev.ordersaga.outbox;

import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.stack.LocalStackResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(DeleteAfterInsertTest.DeleteAfterInsert.class)
class DeleteAfterInsertTest {

    public static class DeleteAfterInsert implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("outbox.delete-after-insert", "true");
        }
    }

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @Test
    void theTableStaysEmptyWhileTheLogKeepsTheInsert() throws Exception {
        UUID id = QuarkusTransaction.requiringNew().call(() -> outbox.add(new InventoryEvent.StockReserved(UUID.randomUUID().toString(), java.util.List.of())));

        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox WHERE id = ?1").setParameter(1, id).getSingleResult()).longValue());
        assertThat(rows).isZero();
        long journaled = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox_journal WHERE event_id = ?1 AND type = 'StockReserved'").setParameter(1, id)
                .getSingleResult()).longValue());
        assertThat(journaled).as("the journal keeps what the table lost").isOne();

        // peek (not consume) what the relay will read: the insert is there, the delete is not published. As the
        // stack's superuser: the service's own role may not read replication slots
        try (java.sql.Connection c = dev.ordersaga.stack.TestStack.shared().connect("orders");
             java.sql.PreparedStatement peek = c.prepareStatement("""
                     SELECT count(*) FROM pg_logical_slot_peek_binary_changes('outbox_' || current_database(), NULL, NULL,
                         'proto_version', '1', 'publication_names', 'outbox_publication')
                     WHERE position(convert_to(?, 'UTF8') IN data) > 0""")) {
            peek.setString(1, id.toString());
            try (java.sql.ResultSet rs = peek.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isOne();
            }
        }
    }
}
