package dev.ordersaga.coupon.messaging;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.Prometheus;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The consumer against the real broker, fed by hand: no relay, no other service. Coupons are issued through the API. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "coupons"))
class OrderEventsConsumerTest {

    @org.junit.jupiter.api.BeforeEach
    void identity() {
        dev.ordersaga.stack.TestTokens.actAs("admin", "coupon-admin");
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager em;

    @Test
    void aPlacedOrderLocksItsCoupon() {
        String code = issue();
        double lockedBefore = written("CouponLocked");
        String order = orderId();
        publish(order, newEventId(), "OrderPlaced", placed(order, code));
        awaitCoupon(code, "LOCKED", order);
        assertThat(written("CouponLocked")).isEqualTo(lockedBefore + 1);
    }

    @Test
    void aSecondOrderLeavesTheCouponLockedByTheFirst() {
        String code = issue();
        String first = orderId();
        publish(first, newEventId(), "OrderPlaced", placed(first, code));
        awaitCoupon(code, "LOCKED", first);
        double rejectedBefore = written("CouponRejected");

        String second = orderId();
        String secondPlaced = newEventId();
        publish(second, secondPlaced, "OrderPlaced", placed(second, code));
        awaitApplied(secondPlaced);
        assertCoupon(code, "LOCKED", first);
        assertThat(written("CouponRejected")).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void cancellingTheHolderMakesTheCouponAvailableAgain() {
        String code = issue();
        String first = orderId();
        publish(first, newEventId(), "OrderPlaced", placed(first, code));
        awaitCoupon(code, "LOCKED", first);
        double releasedBefore = written("CouponReleased");

        publish(first, newEventId(), "OrderCancelled", cancelled(first, code));
        awaitCoupon(code, "AVAILABLE", null);
        assertThat(written("CouponReleased")).isEqualTo(releasedBefore + 1);

        String second = orderId();
        publish(second, newEventId(), "OrderPlaced", placed(second, code));
        awaitCoupon(code, "LOCKED", second);
    }

    @Test
    void payingTheHolderRedeemsTheCouponForGoodAndConfirmingAloneDoesNot() {
        String code = issue();
        String holder = orderId();
        publish(holder, newEventId(), "OrderPlaced", placed(holder, code));
        awaitCoupon(code, "LOCKED", holder);
        double redeemedBefore = written("CouponRedeemed");

        String confirm = newEventId();
        publish(holder, confirm, "OrderConfirmed", confirmed(holder, code));
        awaitApplied(confirm);
        assertCoupon(code, "LOCKED", holder);

        publish(holder, newEventId(), "OrderPaid", paid(holder, code));
        awaitCoupon(code, "REDEEMED", holder);
        assertThat(written("CouponRedeemed")).isEqualTo(redeemedBefore + 1);

        // a redeemed coupon is neither released nor locked again
        String lateCancel = newEventId();
        publish(holder, lateCancel, "OrderCancelled", cancelled(holder, code));
        awaitApplied(lateCancel);
        assertCoupon(code, "REDEEMED", holder);
        String next = orderId();
        String nextPlaced = newEventId();
        publish(next, nextPlaced, "OrderPlaced", placed(next, code));
        awaitApplied(nextPlaced);
        assertCoupon(code, "REDEEMED", holder);
    }

    @Test
    void anOrderThatDoesNotHoldTheCouponCanNeitherReleaseNorRedeemIt() {
        String code = issue();
        String holder = orderId();
        publish(holder, newEventId(), "OrderPlaced", placed(holder, code));
        awaitCoupon(code, "LOCKED", holder);
        double releasedBefore = written("CouponReleased");
        double redeemedBefore = written("CouponRedeemed");

        String other = orderId();
        String otherCancel = newEventId();
        publish(other, otherCancel, "OrderCancelled", cancelled(other, code));
        awaitApplied(otherCancel);
        assertCoupon(code, "LOCKED", holder);

        String otherPaid = newEventId();
        publish(other, otherPaid, "OrderPaid", paid(other, code));
        awaitApplied(otherPaid);
        assertCoupon(code, "LOCKED", holder);

        assertThat(written("CouponReleased")).isEqualTo(releasedBefore);
        assertThat(written("CouponRedeemed")).isEqualTo(redeemedBefore);
    }

    @Test
    void anOrderPlacedAfterItsCancellationLocksNothingAndIsRejected() {
        String code = issue();
        String orderId = orderId();
        String cancel = newEventId();
        publish(orderId, cancel, "OrderCancelled", cancelled(orderId, code));
        awaitApplied(cancel);
        double rejectedBefore = written("CouponRejected");

        String replayed = newEventId();
        publish(orderId, replayed, "OrderPlaced", placed(orderId, code));
        awaitApplied(replayed);
        assertCoupon(code, "AVAILABLE", null);
        assertThat(written("CouponRejected")).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void theSameEventDeliveredTwiceChangesNothing() {
        String code = issue();
        String order = orderId();
        String placedId = newEventId();
        publish(order, placedId, "OrderPlaced", placed(order, code));
        awaitCoupon(code, "LOCKED", order);
        publish(order, newEventId(), "OrderCancelled", cancelled(order, code));
        awaitCoupon(code, "AVAILABLE", null);
        double lockedBefore = written("CouponLocked");

        // applied again, the old placement would lock the coupon once more
        double duplicatesBefore = duplicates();
        publish(order, placedId, "OrderPlaced", placed(order, code));
        await().atMost(TIMEOUT).until(() -> duplicates() > duplicatesBefore);
        assertCoupon(code, "AVAILABLE", null);
        assertThat(inboxRows(placedId)).isEqualTo(1);
        assertThat(written("CouponLocked")).isEqualTo(lockedBefore);
    }

    @Test
    void anUnknownCouponIsRejectedAndNotCreated() {
        String unknown = code();
        double rejectedBefore = written("CouponRejected");
        double parkedBefore = parked();

        String order = orderId();
        String placedId = newEventId();
        publish(order, placedId, "OrderPlaced", placed(order, unknown));
        awaitApplied(placedId);
        given().get("/coupons/" + unknown).then().statusCode(404);
        assertThat(written("CouponRejected")).isEqualTo(rejectedBefore + 1);

        // confirming or cancelling with a coupon that does not exist is a no-op as well
        String confirmId = newEventId();
        publish(order, confirmId, "OrderConfirmed", confirmed(order, unknown));
        String cancelId = newEventId();
        publish(order, cancelId, "OrderCancelled", cancelled(order, unknown));
        awaitApplied(confirmId);
        awaitApplied(cancelId);
        given().get("/coupons/" + unknown).then().statusCode(404);
        assertThat(parked()).isEqualTo(parkedBefore);

        // and the consumer carries on
        String code = issue();
        String next = orderId();
        publish(next, newEventId(), "OrderPlaced", placed(next, code));
        awaitCoupon(code, "LOCKED", next);
    }

    @Test
    void anOrderWithoutCouponTouchesNoCoupon() {
        double written = written("CouponLocked") + written("CouponRejected");
        String order = orderId();
        String placedId = newEventId();
        publish(order, placedId, "OrderPlaced", placed(order, null));
        // none of this service's business: applied as "nothing to do"
        awaitApplied(placedId);
        assertThat(written("CouponLocked") + written("CouponRejected")).isEqualTo(written);
    }

    @Test
    void anUnknownTypeIsSkippedAndANewerVersionParkedWithTheLaterEventsOfItsOrderBehindIt() {
        String code = issue();
        String order = orderId();
        String unknownId = newEventId();
        String poisonId = newEventId();
        String behindId = newEventId();
        double skipped = metric("inbox_events_total", "consumer=\"coupon-app\"", "outcome=\"skipped\"");
        // same key: the valid event after the poison waits behind it, in its order
        publish(order, unknownId, "NoSuchEvent", "{\"orderId\":\"" + order + "\"}");
        publish(order, poisonId, "OrderPlaced", placed(order, code).replace("\"version\":1", "\"version\":9"));
        publish(order, behindId, "OrderPlaced", placed(order, code));
        await().atMost(TIMEOUT).until(() -> poisonId.equals(waitingBehind(behindId)));
        assertCoupon(code, "AVAILABLE", null);
        assertThat(metric("inbox_events_total", "consumer=\"coupon-app\"", "outcome=\"skipped\"")).isGreaterThan(skipped);
        assertThat(inboxRows(unknownId)).isZero();

        try (TopicReader dlq = new TopicReader(TestStack.shared().bootstrapServers(), "coupon-app.orders.events.dlq")) {
            var parked = dlq.until(r -> r.stream().anyMatch(c -> poisonId.equals(TopicReader.header(c, "id"))), TIMEOUT);
            var record = parked.stream().filter(c -> poisonId.equals(TopicReader.header(c, "id"))).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(order);
            assertThat(TopicReader.header(record, "dead-letter-reason")).contains("version 9, newer than version 1");
        }
        assertThat(inboxRows(poisonId)).isZero();
    }

    @Test
    void anUnreadablePayloadIsParkedAndLocksNothing() {
        String code = issue();
        String order = orderId();
        String poisonId = newEventId();
        publish(order, poisonId, "OrderPlaced", "{\"orderId\":\"" + order + "\",\"couponCode\":\"" + code + "\"");
        try (TopicReader dlq = new TopicReader(TestStack.shared().bootstrapServers(), "coupon-app.orders.events.dlq")) {
            dlq.until(r -> r.stream().anyMatch(c -> poisonId.equals(TopicReader.header(c, "id"))), TIMEOUT);
        }
        assertCoupon(code, "AVAILABLE", null);
    }

    private static String code() {
        return "C-" + UUID.randomUUID();
    }

    private static String orderId() {
        return UUID.randomUUID().toString();
    }

    private static String newEventId() {
        return UUID.randomUUID().toString();
    }

    private static String issue() {
        String code = code();
        given().contentType(ContentType.JSON).body("{\"code\": \"" + code + "\", \"discountPercent\": 10}")
                .post("/coupons").then().statusCode(201).body("status", equalTo("AVAILABLE"));
        return code;
    }

    private static String coupon(String code) {
        return code == null ? "null" : "\"" + code + "\"";
    }

    private static String placed(String orderId, String code) {
        return "{\"version\":1,\"orderId\":\"" + orderId + "\",\"customerId\":\"c-1\","
                + "\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}],\"couponCode\":" + coupon(code)
                + ",\"placedAt\":\"2026-11-23T10:00:00Z\"}";
    }

    private static String cancelled(String orderId, String code) {
        return "{\"version\":1,\"orderId\":\"" + orderId + "\",\"reason\":\"OUT_OF_STOCK\",\"couponCode\":" + coupon(code) + "}";
    }

    private static String paid(String orderId, String code) {
        return "{\"version\":1,\"orderId\":\"" + orderId + "\",\"couponCode\":" + coupon(code)
                + ",\"amount\":\"9.00\",\"paidAt\":\"2026-11-23T10:01:00Z\"}";
    }

    private static String confirmed(String orderId, String code) {
        return "{\"version\":1,\"orderId\":\"" + orderId + "\",\"couponCode\":" + coupon(code) + "}";
    }

    private String waitingBehind(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> (java.util.List<?>) em.createNativeQuery(
                        "SELECT CAST(waiting_behind AS text) FROM parked_event WHERE consumer = 'coupon-app' AND event_id = CAST(?1 AS uuid)")
                .setParameter(1, eventId).getResultList()).stream().findFirst().map(String::valueOf).orElse(null);
    }

    private static void publish(String key, String eventId, String type, String json) {
        TopicReader.send(TestStack.shared().bootstrapServers(), Topics.ORDERS, key, json,
                Map.of(Topics.ID_HEADER, eventId, Topics.TYPE_HEADER, type));
    }

    private static void awaitCoupon(String code, String status, String orderId) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertCoupon(code, status, orderId));
    }

    private static void assertCoupon(String code, String status, String orderId) {
        given().get("/coupons/" + code).then().statusCode(200)
                .body("status", equalTo(status))
                .body("orderId", equalTo(orderId));
    }

    /** The event's inbox row commits with its effect: once it is there, the event has been applied. */
    private void awaitApplied(String eventId) {
        await().atMost(TIMEOUT).until(() -> inboxRows(eventId) == 1);
    }

    private long inboxRows(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "SELECT count(*) FROM inbox WHERE consumer = 'coupon-app' AND event_id = CAST(?1 AS uuid)")
                .setParameter(1, eventId).getSingleResult()).longValue());
    }

    private double duplicates() {
        return metric("inbox_events_total", "consumer=\"coupon-app\"", "outcome=\"duplicate\"");
    }

    private double parked() {
        return metric("inbox_events_total", "consumer=\"coupon-app\"", "outcome=\"parked\"");
    }

    /** Events of this type this service has written to its outbox so far. */
    private double written(String type) {
        return metric("outbox_events_written_total", "aggregatetype=\"coupons\"", "type=\"" + type + "\"");
    }

    private double metric(String name, String... labels) {
        return Prometheus.sum(given().get(metrics).then().statusCode(200).extract().asString(), name, labels);
    }
}
