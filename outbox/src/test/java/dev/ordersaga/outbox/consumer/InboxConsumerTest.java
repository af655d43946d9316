package dev.ordersaga.outbox.consumer;

import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.events.Topics;
import dev.ordersaga.outbox.RuleViolation;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer core against the real database and broker: records built as the connector hands them over (decoded
 * by {@link InboundDeserializer}; a failure becomes a null value with the connector's failure headers).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class InboxConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    InboxConsumer inbox;

    @Inject
    ConsumerHealth health;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    ParkedActions actions;

    private String consumer;
    private long offset;

    @BeforeEach
    void newConsumer() {
        consumer = "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Records what it applied, in the consumer's transaction; {@code refuse} and {@code flaky} are markers. */
    private OrderEvent.Handler recording(String refuse, String flaky, AtomicInteger flakyFailures) {
        return new OrderEvent.Handler() {
            @Override
            public void onOrderPlaced(OrderPlaced e) {
                if (e.couponCode().equals(refuse)) {
                    throw new RuleViolation("order " + e.orderId() + " contradicts the rules");
                }
                if (e.couponCode().equals(flaky) && flakyFailures.getAndDecrement() > 0) {
                    throw new IllegalStateException("database hiccup", new java.sql.SQLException("could not serialize", "40001"));
                }
                em.createNativeQuery("INSERT INTO applied (consumer, order_id, marker) VALUES (?1, ?2, ?3)")
                        .setParameter(1, consumer).setParameter(2, e.orderId()).setParameter(3, e.couponCode())
                        .executeUpdate();
            }

            @Override
            public void onOrderConfirmed(OrderEvent.OrderConfirmed e) {
            }

            @Override
            public void onOrderCancelled(OrderEvent.OrderCancelled e) {
            }

            @Override
            public void onOrderPaid(OrderEvent.OrderPaid e) {
            }

            @Override
            public void onOrderDeadlinePassed(OrderEvent.OrderDeadlinePassed e) {
            }
        };
    }

    private void consume(List<ConsumerRecord<String, Inbound>> records, OrderEvent.Handler handler) {
        inbox.consume(consumer, new ConsumerRecords<>(Map.of(new TopicPartition(Topics.ORDERS, 0), records)),
                OrderEvent.class, e -> e.dispatch(handler));
    }

    @Test
    void aDuplicateChangesNothing() {
        String order = UUID.randomUUID().toString();
        var first = placed(order, "A");
        consume(List.of(first, copy(first)), recording("-", "-", new AtomicInteger()));
        consume(List.of(copy(first)), recording("-", "-", new AtomicInteger()));

        assertThat(applied(order)).containsExactly("A");
        assertThat(count("duplicate")).isEqualTo(2);
        assertThat(count("applied")).isEqualTo(1);
    }

    @Test
    void anUnknownTypeIsCountedAndSkippedNotParked() {
        String order = UUID.randomUUID().toString();
        consume(List.of(record(Topics.ORDERS, order, UUID.randomUUID(), "OrderTeleported", "{\"orderId\":\"" + order + "\"}"),
                placed(order, "A")), recording("-", "-", new AtomicInteger()));

        assertThat(count("skipped")).isEqualTo(1);
        assertThat(count("parked")).isZero();
        assertThat(applied(order)).containsExactly("A");
    }

    @Test
    void aNewerVersionIsParkedWithThatReason() {
        String order = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        consume(List.of(record(Topics.ORDERS, order, eventId, "OrderPlaced", placedJson(order, "A", 2))),
                recording("-", "-", new AtomicInteger()));

        assertThat(applied(order)).isEmpty();
        assertThat(parkedReason(Topics.ORDERS, eventId)).contains("version 2, newer than version 1");
    }

    @Test
    void anEventOnATopicItDoesNotBelongToIsParked() {
        String order = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        consume(List.of(record(Topics.INVENTORY, order, eventId, "OrderPlaced", placedJson(order, "A", 1))),
                recording("-", "-", new AtomicInteger()));

        assertThat(applied(order)).isEmpty();
        assertThat(parkedReason(Topics.INVENTORY, eventId)).contains("belongs on orders.events, not on inventory.events");
    }

    @Test
    void anUnreadablePayloadIsParked() {
        String order = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        consume(List.of(record(Topics.ORDERS, order, eventId, "OrderPlaced", "{not json")), recording("-", "-", new AtomicInteger()));

        assertThat(parkedReason(Topics.ORDERS, eventId)).contains("unreadable");
    }

    @Test
    void aDomainRefusalIsParked() {
        String order = UUID.randomUUID().toString();
        var refused = placed(order, "REFUSE");
        consume(List.of(refused), recording("REFUSE", "-", new AtomicInteger()));

        assertThat(applied(order)).isEmpty();
        assertThat(parkedReason(Topics.ORDERS, refused.value().eventId())).contains("refused by the domain");
    }

    @Test
    void aTransientFailureIsRetriedUntilItLandsOnce() {
        String order = UUID.randomUUID().toString();
        AtomicInteger failures = new AtomicInteger(3);
        double retriesBefore = metrics.counter("inbox.retries", "lane", consumer + "/OrderEvent").count();

        consume(List.of(placed(order, "FLAKY")), recording("-", "FLAKY", failures));

        assertThat(applied(order)).containsExactly("FLAKY");
        assertThat(metrics.counter("inbox.retries", "lane", consumer + "/OrderEvent").count() - retriesBefore).isEqualTo(3);
        assertThat(count("parked")).isZero();
        assertThat(health.isWaiting(consumer + "/OrderEvent")).isFalse();
    }

    @Test
    void aBatchWithOnePoisonEventParksItWithTheLaterEventsOfItsOrderAndAppliesTheRestOnceInOrder() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        var poison = placed(b, "REFUSE");
        List<ConsumerRecord<String, Inbound>> batch = new ArrayList<>(List.of(
                placed(a, "a1"), placed(b, "b1"), placed(a, "a2"), poison, placed(a, "a3"), placed(b, "b2")));

        consume(batch, recording("REFUSE", "-", new AtomicInteger()));

        assertThat(applied(a)).containsExactly("a1", "a2", "a3");
        assertThat(applied(b)).as("b2 waits behind the poison").containsExactly("b1");
        assertThat(count("parked")).isEqualTo(2);
        assertThat(parkedReason(Topics.ORDERS, poison.value().eventId())).contains("refused by the domain");

        // the same batch again (a redelivery after a crash) applies nothing twice and parks nothing twice
        consume(batch.stream().map(this::copy).toList(), recording("REFUSE", "-", new AtomicInteger()));
        assertThat(applied(a)).containsExactly("a1", "a2", "a3");
        assertThat(applied(b)).containsExactly("b1");
        assertThat(count("parked")).isEqualTo(2);
    }

    @Test
    void everyDeliveryIsJournaledWithItsOutcome() {
        String order = UUID.randomUUID().toString();
        var first = placed(order, "A");
        var again = copy(first);
        UUID unknown = UUID.randomUUID();
        var teleported = record(Topics.ORDERS, order, unknown, "OrderTeleported", "{}");
        var refused = placed(UUID.randomUUID().toString(), "REFUSE");
        consume(List.of(first, again, teleported, refused),
                recording("REFUSE", "-", new AtomicInteger()));

        assertThat(journal()).containsExactlyInAnyOrder(
                first.value().eventId() + " applied " + first.offset(),
                first.value().eventId() + " duplicate " + again.offset(),
                unknown + " skipped " + teleported.offset(),
                refused.value().eventId() + " parked " + refused.offset());
    }

    @Test
    void aParkedOrderParksItsLaterEventsBehindTheFirstWhileOtherOrdersFlow() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        var refused = placed(a, "REFUSE");
        consume(List.of(refused), recording("REFUSE", "-", new AtomicInteger()));
        var later = placed(a, "a2");
        consume(List.of(later, placed(b, "b1")), recording("REFUSE", "-", new AtomicInteger()));

        assertThat(applied(b)).containsExactly("b1");
        assertThat(applied(a)).isEmpty();
        assertThat(parked()).containsExactly(
                refused.value().eventId() + " parked behind null",
                later.value().eventId() + " parked behind " + refused.value().eventId());
        assertThat(parkedReason(Topics.ORDERS, later.value().eventId())).isEqualTo("waits behind parked event " + refused.value().eventId());
        assertThat(metrics.get("inbox.parked").tag("consumer", consumer).gauge()).isNotNull();
    }

    @Test
    void theOneByOneFallbackParksLaterEventsOfTheRefusedOrderBehindIt() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        var refused = placed(a, "REFUSE");
        var behind = placed(a, "a2");
        consume(List.of(refused, placed(b, "b1"), behind, placed(b, "b2")), recording("REFUSE", "-", new AtomicInteger()));

        assertThat(applied(b)).containsExactly("b1", "b2");
        assertThat(applied(a)).isEmpty();
        assertThat(parked()).containsExactly(
                refused.value().eventId() + " parked behind null",
                behind.value().eventId() + " parked behind " + refused.value().eventId());
    }

    @Test
    void aCheckViolationParksAndAReplayAppliesTheOrderInOrderOnceTheCauseIsGone() {
        String a = UUID.randomUUID().toString();
        String forbidden = "F" + UUID.randomUUID().toString().substring(0, 8);
        String check = "no_" + forbidden.toLowerCase();
        sql("ALTER TABLE applied ADD CONSTRAINT " + check + " CHECK (marker <> '" + forbidden + "') NOT VALID");
        try {
            var first = placed(a, forbidden);
            consume(List.of(first), recording("-", "-", new AtomicInteger()));
            var second = placed(a, "a2");
            consume(List.of(second), recording("-", "-", new AtomicInteger()));
            assertThat(parked()).containsExactly(first.value().eventId() + " parked behind null",
                    second.value().eventId() + " parked behind " + first.value().eventId());
            assertThat(parkedReason(Topics.ORDERS, first.value().eventId())).contains("23514");

            var stillRefused = actions.replay(consumer, second.value().eventId(), "ops-1", "try once");
            assertThat(stillRefused.replayed()).isEmpty();
            assertThat(stillRefused.stillParked()).containsExactly(first.value().eventId(), second.value().eventId());

            sql("ALTER TABLE applied DROP CONSTRAINT " + check);
            var result = actions.replay(consumer, second.value().eventId(), "ops-1", "check constraint dropped");

            assertThat(result.replayed()).containsExactly(first.value().eventId(), second.value().eventId());
            assertThat(result.stillParked()).isEmpty();
            assertThat(applied(a)).containsExactly(forbidden, "a2");
            assertThat(parked()).containsExactly(first.value().eventId() + " replayed behind null",
                    second.value().eventId() + " replayed behind " + first.value().eventId());
            assertThat(journal()).contains(first.value().eventId() + " replayed " + first.offset(),
                    second.value().eventId() + " replayed " + second.offset());
            assertThat(audit()).containsExactly(
                    "replay ops-1 check constraint dropped: replayed 2; none still parked",
                    "replay ops-1 try once: replayed 0; event " + first.value().eventId()
                            + " refused again on replay: refused by the database (SQLState 23514)" + reasonTail(first.value().eventId()));
            // a redelivery after the replay is a duplicate
            consume(List.of(copy(second)), recording("-", "-", new AtomicInteger()));
            assertThat(applied(a)).containsExactly(forbidden, "a2");
        } finally {
            sql("ALTER TABLE applied DROP CONSTRAINT IF EXISTS " + check);
        }
    }

    @Test
    void aReplayRefusedAgainLeavesTheOrderParkedWithTheNewReason() {
        String a = UUID.randomUUID().toString();
        var refused = placed(a, "REFUSE");
        var behind = placed(a, "a2");
        consume(List.of(refused, behind), recording("REFUSE", "-", new AtomicInteger()));

        var result = actions.replay(consumer, refused.value().eventId(), "ops-2", "the rule changed");

        assertThat(result.replayed()).isEmpty();
        assertThat(result.stillParked()).containsExactly(refused.value().eventId(), behind.value().eventId());
        assertThat(parked()).containsExactly(refused.value().eventId() + " parked behind null",
                behind.value().eventId() + " parked behind " + refused.value().eventId());
        assertThat(applied(a)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.replay(consumer, UUID.randomUUID(), "ops-2", "x"))
                .isInstanceOf(ParkedActions.Unknown.class);
    }

    @Test
    void aSkipGivesUpOneEventRecordsItInTheInboxAndLeavesTheOnesBehindParked() {
        String a = UUID.randomUUID().toString();
        var refused = placed(a, "REFUSE");
        var behind = placed(a, "a2");
        consume(List.of(refused, behind), recording("REFUSE", "-", new AtomicInteger()));

        var result = actions.skip(consumer, refused.value().eventId(), "ops-3", "the order was fixed by hand");

        assertThat(result.stillParked()).containsExactly(behind.value().eventId());
        assertThat(parked()).containsExactly(refused.value().eventId() + " skipped behind null",
                behind.value().eventId() + " parked behind " + refused.value().eventId());
        assertThat(audit()).containsExactly("skip ops-3 the order was fixed by hand: skipped; 1 still parked, replay them");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.skip(consumer, refused.value().eventId(), "ops-3", "again"))
                .isInstanceOf(ParkedActions.NotParked.class);

        // the skipped one is in the inbox: its redelivery is a duplicate; the one behind replays now
        var replay = actions.replay(consumer, behind.value().eventId(), "ops-3", "after the skip");
        assertThat(replay.replayed()).containsExactly(behind.value().eventId());
        consume(List.of(copy(refused)), recording("REFUSE", "-", new AtomicInteger()));
        assertThat(applied(a)).containsExactly("a2");
        assertThat(journal()).contains(refused.value().eventId() + " skipped-by-operator " + refused.offset());
        assertThat(journal().stream().filter(j -> j.startsWith(refused.value().eventId() + " duplicate"))).hasSize(1);
    }

    @Test
    void anUndecodableRecordParksTheLaterEventsOfItsOrderButNotTheEarlierOnes() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        var before = placed(a, "a1");
        var unreadable = record(Topics.ORDERS, a, UUID.randomUUID(), "OrderPlaced", "{not json");
        var after = placed(a, "a3");
        consume(List.of(before, unreadable, placed(b, "b1"), after), recording("-", "-", new AtomicInteger()));

        assertThat(applied(a)).containsExactly("a1");
        assertThat(applied(b)).containsExactly("b1");
        assertThat(parked()).containsExactly(
                InboundDeserializer.header(unreadable.headers(), Topics.ID_HEADER) + " parked behind null",
                after.value().eventId() + " parked behind " + InboundDeserializer.header(unreadable.headers(), Topics.ID_HEADER));
    }

    @Test
    void aPayloadThatIsNotTextParksWithItsBytesIntactAndTheConsumerGoesOn() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        byte[] bytes = {'{', 0x00, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
        consume(List.of(record(Topics.ORDERS, a, eventId, "OrderPlaced", bytes, Map.of("note", "nul\0here")),
                placed(b, "b1")), recording("-", "-", new AtomicInteger()));
        consume(List.of(placed(b, "b2")), recording("-", "-", new AtomicInteger()));

        assertThat(applied(b)).containsExactly("b1", "b2");
        assertThat(parked()).containsExactly(eventId + " parked behind null");
        assertThat(QuarkusTransaction.requiringNew().call(() -> (byte[]) em.createNativeQuery(
                        "SELECT payload FROM parked_event WHERE consumer = ?1 AND event_id = ?2")
                .setParameter(1, consumer).setParameter(2, eventId).getSingleResult())).isEqualTo(bytes);
        assertThat(parkedReason(Topics.ORDERS, eventId)).isNotBlank();
    }

    @Test
    void aLongTraceparentAndALongUnknownTypeAreJournaledAndTheConsumerGoesOn() {
        String order = UUID.randomUUID().toString();
        UUID unknown = UUID.randomUUID();
        var teleported = record(Topics.ORDERS, order, unknown, "T".repeat(300), "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", "0".repeat(200)));
        consume(List.of(teleported, placed(order, "A")), recording("-", "-", new AtomicInteger()));

        assertThat(journal()).contains(unknown + " skipped " + teleported.offset());
        assertThat(applied(order)).containsExactly("A");
    }

    @Test
    void aReplayStoppedByAFailureKeepsWhatItReplayedAndAuditsWhereItStopped() {
        String a = UUID.randomUUID().toString();
        var refused = placed(a, "REFUSE");
        var flaky = placed(a, "FLAKY");
        consume(List.of(refused, flaky), recording("REFUSE", "-", new AtomicInteger()));
        OrderEvent.Handler failingOnce = recording("-", "FLAKY", new AtomicInteger(1));
        inbox.register(consumer, OrderEvent.class, e -> e.dispatch(failingOnce));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.replay(consumer, refused.value().eventId(), "ops-4", "fixed"))
                .isInstanceOfSatisfying(ParkedActions.Stopped.class,
                        s -> assertThat(s.replayed()).containsExactly(refused.value().eventId()));
        assertThat(parked()).containsExactly(refused.value().eventId() + " replayed behind null",
                flaky.value().eventId() + " parked behind " + refused.value().eventId());
        assertThat(audit()).singleElement().asString().startsWith("replay ops-4 fixed: stopped after 1 replayed: ");

        assertThat(actions.replay(consumer, flaky.value().eventId(), "ops-4", "again").replayed())
                .containsExactly(flaky.value().eventId());
        assertThat(applied(a)).containsExactly("REFUSE", "FLAKY");
    }

    @Test
    void aShutdownEndsARetryThatWouldOtherwiseLastForeverAndAppliesNothing() throws Exception {
        String order = UUID.randomUUID().toString();
        AtomicInteger failures = new AtomicInteger(Integer.MAX_VALUE);
        var stopper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            stopper.schedule(() -> inbox.onStop(new io.quarkus.runtime.ShutdownEvent()), 300, java.util.concurrent.TimeUnit.MILLISECONDS);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> consume(List.of(placed(order, "FLAKY")),
                            recording("-", "FLAKY", failures)))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
        } finally {
            inbox.resume();
            stopper.shutdownNow();
        }
        assertThat(applied(order)).isEmpty();
        assertThat(count("parked")).isZero();
    }

    private ConsumerRecord<String, Inbound> placed(String orderId, String marker) {
        return record(Topics.ORDERS, orderId, UUID.randomUUID(), "OrderPlaced", placedJson(orderId, marker, 1));
    }

    private static String placedJson(String orderId, String marker, int version) {
        return "{\"version\":" + version + ",\"orderId\":\"" + orderId + "\",\"customerId\":\"c-1\",\"items\":"
                + "[{\"sku\":\"SKU-1\",\"quantity\":1}],\"couponCode\":\"" + marker + "\",\"placedAt\":\"2026-11-24T10:00:00Z\"}";
    }

    private ConsumerRecord<String, Inbound> record(String topic, String key, UUID eventId, String type, String json) {
        return record(topic, key, eventId, type, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** As the connector delivers it: decoded, or a null value with the failure in the headers. */
    private ConsumerRecord<String, Inbound> record(String topic, String key, UUID eventId, String type, byte[] data,
                                                   Map<String, String> more) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.ID_HEADER, eventId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        more.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        Inbound value;
        try {
            value = new InboundDeserializer().deserialize(topic, headers, data);
        } catch (SerializationException e) {
            DeserializationFailureHandler.addFailureDetailsToHeaders(InboundDeserializer.class.getName(), topic, false,
                    headers, data, e);
            value = null;
        }
        return new ConsumerRecord<>(topic, 0, offset++, System.currentTimeMillis(), TimestampType.CREATE_TIME, -1, data.length,
                key, value, headers, Optional.empty());
    }

    private ConsumerRecord<String, Inbound> copy(ConsumerRecord<String, Inbound> r) {
        return new ConsumerRecord<>(r.topic(), r.partition(), offset++, r.timestamp(), r.timestampType(), -1,
                r.serializedValueSize(), r.key(), r.value(), r.headers(), Optional.empty());
    }

    @SuppressWarnings("unchecked")
    private List<String> applied(String orderId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT marker FROM applied WHERE consumer = ?1 AND order_id = ?2 ORDER BY seq")
                .setParameter(1, consumer).setParameter(2, orderId).getResultList());
    }

    @SuppressWarnings("unchecked")
    private List<String> journal() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT event_id, outcome, kafka_offset FROM consumer_journal WHERE consumer = ?1 ORDER BY id")
                .setParameter(1, consumer).getResultList());
        return rows.stream().map(r -> r[0] + " " + r[1] + " " + r[2]).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> parked() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT event_id, status, waiting_behind FROM parked_event WHERE consumer = ?1 ORDER BY id")
                .setParameter(1, consumer).getResultList());
        return rows.stream().map(r -> r[0] + " " + r[1] + " behind " + r[2]).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> audit() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT action, actor, reason, outcome FROM parked_action WHERE consumer = ?1 ORDER BY id DESC")
                .setParameter(1, consumer).getResultList());
        return rows.stream().map(r -> r[0] + " " + r[1] + " " + r[2] + ": " + r[3]).toList();
    }

    /** What the stored reason says after the SQLState, as the database worded it. */
    private String reasonTail(UUID eventId) {
        String reason = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT reason FROM parked_event WHERE consumer = ?1 AND event_id = ?2")
                .setParameter(1, consumer).setParameter(2, eventId).getSingleResult());
        return reason.substring(reason.lastIndexOf("(SQLState 23514)") + "(SQLState 23514)".length()) + "; 2 still parked";
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }

    private double count(String outcome) {
        return metrics.counter("inbox.events", "consumer", consumer, "outcome", outcome).count();
    }

    private String parkedReason(String topic, UUID eventId) {
        try (TopicReader dlq = new TopicReader(TestStack.shared().bootstrapServers(), DeadLetters.topicFor(consumer, topic))) {
            var parked = dlq.until(r -> r.stream().anyMatch(c -> eventId.toString().equals(TopicReader.header(c, "id"))), TIMEOUT);
            return parked.stream().filter(c -> eventId.toString().equals(TopicReader.header(c, "id"))).findFirst()
                    .map(c -> TopicReader.header(c, DeadLetters.REASON)).orElseThrow();
        }
    }
}
