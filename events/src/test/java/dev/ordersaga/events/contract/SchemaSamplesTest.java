package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.ordersaga.events.CouponEvent;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.OrderEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed schemas accept what the records serialize to (as the outbox writes them) and refuse what they must. */
class SchemaSamplesTest {

    private static final String ORDER = UUID.randomUUID().toString();

    private final ObjectMapper json = decimalsAsStrings(new ObjectMapper())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final ContractFiles files = ContractFiles.ofModule();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final List<Event> samples = List.of(
            new OrderEvent.OrderPlaced(ORDER, "c-1", List.of(new OrderEvent.Line("SKU-1", 2)), "WELCOME10", Instant.now()),
            new OrderEvent.OrderPlaced(ORDER, "c-1", List.of(new OrderEvent.Line("SKU-1", 2)), null, Instant.now()),
            new OrderEvent.OrderConfirmed(ORDER, null),
            new OrderEvent.OrderCancelled(ORDER, OrderEvent.OrderCancelled.Reason.COUPON_UNAVAILABLE, "WELCOME10"),
            new InventoryEvent.StockReserved(ORDER, List.of(new InventoryEvent.PricedLine("SKU-1", 2, new java.math.BigDecimal("12.50")))),
            new InventoryEvent.StockReserved(ORDER, null),
            new OrderEvent.OrderPaid(ORDER, null, new java.math.BigDecimal("0.00"), Instant.now()),
            new OrderEvent.OrderDeadlinePassed(ORDER, OrderEvent.OrderDeadlinePassed.Deadline.PAYMENT, Instant.now()),
            new OrderEvent.OrderCancelled(ORDER, OrderEvent.OrderCancelled.Reason.SAGA_TIMEOUT, null),
            new InventoryEvent.StockRejected(ORDER, InventoryEvent.StockRejected.Reason.OUT_OF_STOCK, "SKU-1"),
            new InventoryEvent.StockReleased(ORDER),
            new CouponEvent.CouponLocked(ORDER, "WELCOME10", 10),
            new CouponEvent.CouponLocked(ORDER, "WELCOME10", null),
            new CouponEvent.CouponRejected(ORDER, "WELCOME10", CouponEvent.CouponRejected.Reason.UNKNOWN_COUPON),
            new CouponEvent.CouponRedeemed(ORDER, "WELCOME10"),
            new CouponEvent.CouponReleased(ORDER, "WELCOME10"));

    @Test
    void everyEventTypeHasASampleThatItsSchemaAccepts() throws Exception {
        assertThat(samples.stream().map(Event::type).distinct()).hasSameSizeAs(EventTypes.all().keySet());
        for (Event e : samples) {
            assertThat(errors(e.getClass(), json.writeValueAsString(e))).as(e.type()).isEmpty();
        }
    }

    @Test
    void eachSchemaNamesExactlyTheFieldsItsRecordWrites() throws Exception {
        for (Event e : samples) {
            JsonNode written = json.readTree(json.writeValueAsString(e));
            JsonNode schema = json.readTree(files.read(files.schema(EventSchemas.fileName(e.getClass()))).orElseThrow());
            assertThat(names(schema.get("properties"))).as(e.type()).isEqualTo(names(written));
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aReaderMayMeetFieldsAddedLater() {
        assertThat(errors(InventoryEvent.StockReserved.class,
                "{\"version\":1,\"orderId\":\"" + ORDER + "\",\"addedLater\":true}")).isEmpty();
    }

    @Test
    void theSchemasRefuseWhatTheContractRules() {
        Class<InventoryEvent.StockRejected> type = InventoryEvent.StockRejected.class;
        String valid = "{\"version\":2,\"orderId\":\"" + ORDER + "\",\"reason\":\"OUT_OF_STOCK\",\"sku\":\"S\"}";
        assertThat(errors(type, valid)).isEmpty();
        assertThat(errors(type, valid.replace(ORDER, "o-1"))).as("orderId is a UUID").isNotEmpty();
        assertThat(errors(type, valid.replace("OUT_OF_STOCK", "SOLD_OUT"))).as("reason is one of the enum").isNotEmpty();
        assertThat(errors(type, valid.replace("\"version\":2", "\"version\":3"))).as("version is this schema's").isNotEmpty();
        assertThat(errors(type, valid.replace(",\"sku\":\"S\"", ""))).as("sku is required").isNotEmpty();
        assertThat(errors(type, valid.replace("\"S\"", "null"))).as("sku is not nullable").isNotEmpty();
        assertThat(errors(OrderEvent.OrderPlaced.class, "{\"version\":1,\"orderId\":\"" + ORDER
                + "\",\"customerId\":\"c\",\"items\":[],\"placedAt\":\"yesterday\"}")).as("placedAt is a date-time").isNotEmpty();
    }

    private List<Error> errors(Class<?> type, String value) {
        String schema = files.read(files.schema(EventSchemas.fileName(type))).orElseThrow();
        Schema s = registry.getSchema(schema, InputFormat.JSON);
        return s.validate(value, InputFormat.JSON);
    }

    /** As the outbox writes them: a decimal is a JSON string ("12.50"). */
    private static ObjectMapper decimalsAsStrings(ObjectMapper mapper) {
        mapper.configOverride(java.math.BigDecimal.class).setFormat(
                com.fasterxml.jackson.annotation.JsonFormat.Value.forShape(com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING));
        return mapper;
    }
}
