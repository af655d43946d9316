package dev.ordersaga.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The payloads a subscriber with any JSON library can rely on. */
class EventJsonTest {

    private final ObjectMapper json = decimalsAsStrings(new ObjectMapper())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final List<Event> samples = List.of(
            new OrderEvent.OrderPlaced("o-1", "c-1", List.of(new OrderEvent.Line("SKU-1", 2)), "WELCOME10",
                    Instant.parse("2026-11-23T10:15:30Z")),
            new OrderEvent.OrderConfirmed("o-1", "WELCOME10"),
            new OrderEvent.OrderCancelled("o-1", OrderEvent.OrderCancelled.Reason.OUT_OF_STOCK, null),
            new InventoryEvent.StockReserved("o-1", List.of(new InventoryEvent.PricedLine("SKU-1", 2, new java.math.BigDecimal("12.50")))),
            new OrderEvent.OrderPaid("o-1", "WELCOME10", new java.math.BigDecimal("22.50"), Instant.parse("2026-11-23T10:16:30Z")),
            new OrderEvent.OrderDeadlinePassed("o-1", OrderEvent.OrderDeadlinePassed.Deadline.SAGA, Instant.parse("2026-11-23T10:16:00Z")),
            new InventoryEvent.StockRejected("o-1", InventoryEvent.StockRejected.Reason.UNKNOWN_SKU, "SKU-9"),
            new InventoryEvent.StockReleased("o-1"),
            new CouponEvent.CouponLocked("o-1", "WELCOME10", 10),
            new CouponEvent.CouponRejected("o-1", "WELCOME10", CouponEvent.CouponRejected.Reason.ALREADY_REDEEMED),
            new CouponEvent.CouponRedeemed("o-1", "WELCOME10"),
            new CouponEvent.CouponReleased("o-1", "WELCOME10"));

    @Test
    void everyEventRoundTripsThroughJsonByItsTypeHeader() throws Exception {
        for (Event event : samples) {
            String text = json.writeValueAsString(event);
            Class<? extends Event> type = EventTypes.byName(event.type()).orElseThrow();
            assertThat(json.readValue(text, type)).isEqualTo(event);
        }
    }

    @Test
    void everyTypeIsKnownAndNamesAreUnique() {
        assertThat(samples.stream().map(Event::type).distinct()).hasSize(samples.size());
        assertThat(EventTypes.byName("NoSuchEvent")).isEmpty();
        assertThat(EventTypes.byName(null)).isEmpty();
    }

    @Test
    void payloadIsOneFlatObjectWithAVersion() throws Exception {
        JsonNode placed = json.readTree(json.writeValueAsString(samples.get(0)));
        assertThat(placed.get("version").asInt()).isEqualTo(1);
        assertThat(placed.get("items").isArray()).isTrue();
        assertThat(placed.get("items").get(0).get("sku").asText()).isEqualTo("SKU-1");
        assertThat(placed.get("placedAt").asText()).isEqualTo("2026-11-23T10:15:30Z");
    }

    @Test
    void aReaderToleratesFieldsAddedLater() throws Exception {
        String newer = "{\"version\":2,\"orderId\":\"o-1\",\"addedInV2\":true}";
        assertThat(json.readValue(newer, InventoryEvent.StockReserved.class).orderId()).isEqualTo("o-1");
    }

    @Test
    void aDecimalIsAStringWithItsTwoPlaces() throws Exception {
        Event paid = samples.stream().filter(e -> e instanceof OrderEvent.OrderPaid).findFirst().orElseThrow();
        assertThat(json.readTree(json.writeValueAsString(paid)).get("amount").isTextual()).isTrue();
        assertThat(json.readTree(json.writeValueAsString(paid)).get("amount").asText()).isEqualTo("22.50");
    }

    @Test
    void reasonsAreStringsOnTheWire() throws Exception {
        Event stockRejected = samples.stream().filter(e -> e instanceof InventoryEvent.StockRejected).findFirst().orElseThrow();
        JsonNode rejected = json.readTree(json.writeValueAsString(stockRejected));
        assertThat(rejected.get("reason").asText()).isEqualTo("UNKNOWN_SKU");
    }

    @Test
    void everyTypeDeclaresTheVersionItWrites() {
        assertThat(EventTypes.all()).hasSize(samples.size());
        for (Event event : samples) {
            assertThat(event.version()).isEqualTo(EventTypes.currentVersion(event.getClass()));
        }
    }

    @Test
    void topicsFollowTheAggregateType() {
        assertThat(Topics.topicOf(OrderEvent.AGGREGATE_TYPE)).isEqualTo(Topics.ORDERS);
        assertThat(Topics.topicOf(InventoryEvent.AGGREGATE_TYPE)).isEqualTo(Topics.INVENTORY);
        assertThat(Topics.topicOf(CouponEvent.AGGREGATE_TYPE)).isEqualTo(Topics.COUPONS);
        assertThat(samples).allSatisfy(e -> assertThat(e.aggregateType()).isIn("orders", "inventory", "coupons"));
    }

    /** As the outbox writes them: a decimal is a JSON string ("12.50"). */
    private static ObjectMapper decimalsAsStrings(ObjectMapper mapper) {
        mapper.configOverride(java.math.BigDecimal.class).setFormat(
                com.fasterxml.jackson.annotation.JsonFormat.Value.forShape(com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING));
        return mapper;
    }
}
