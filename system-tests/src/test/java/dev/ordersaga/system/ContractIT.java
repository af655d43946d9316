package dev.ordersaga.system;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TopicReader;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * The wire matches the published contract. Drives orders through the happy and the rejection paths, then reads
 * every record on the three topics (key, headers, value) and checks each against the AsyncAPI document and the
 * schemas as a subscriber gets them: over HTTP from a running app.
 */
class ContractIT {

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);
    private final String coupons = system.url(Service.COUPON_APP);
    private final ObjectMapper json = JsonMapper.builder().build();

    /** A payment timeout this test can wait out, so that the deadline's events are on the topics too. */
    @BeforeAll
    static void shortPaymentTimeout() {
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of("ORDER_PAYMENT_TIMEOUT", "4s"));
    }

    @AfterAll
    static void defaultPaymentTimeout() {
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of());
    }

    @Test
    void everyAppServesTheCommittedContract() throws Exception {
        String committed = Files.readString(RunningSystem.repo().resolve("events/contract/asyncapi.yaml"), StandardCharsets.UTF_8);
        for (String app : List.of(orders, inventory, coupons)) {
            String served = given().get(app + "/contract/asyncapi.yaml").then().statusCode(200).extract().asString();
            assertThat(served).as(app).isEqualTo(committed);
            given().get(app + "/contract/schemas/OrderPlaced.v1.json").then().statusCode(200)
                    .contentType(ContentType.JSON).body("title", equalTo("OrderPlaced"));
        }
    }

    @Test
    void everyRecordOnTheTopicsMatchesTheContract() {
        // every event type, on the happy and the rejection paths
        String sku = stock(10);
        String scarce = stock(1);
        Map<String, Set<String>> expected = new HashMap<>();
        String withCoupon = place(sku, 2, coupon());
        expected.put(withCoupon, Set.of("OrderPlaced", "OrderConfirmed", "StockReserved", "CouponLocked", "OrderPaid",
                "CouponRedeemed"));
        String unpaid = place(sku, 1, null);
        expected.put(unpaid, Set.of("OrderPlaced", "OrderConfirmed", "StockReserved", "OrderDeadlinePassed", "OrderCancelled",
                "StockReleased"));
        String withoutCoupon = place(sku, 1, null);
        expected.put(withoutCoupon, Set.of("OrderPlaced", "OrderConfirmed", "StockReserved"));
        String outOfStock = place(scarce, 2, coupon());
        expected.put(outOfStock, Set.of("OrderPlaced", "OrderCancelled", "StockRejected", "CouponLocked", "CouponReleased"));
        String unknownCoupon = place(sku, 1, "NO-SUCH-" + UUID.randomUUID());
        expected.put(unknownCoupon, Set.of("OrderPlaced", "OrderCancelled", "StockReserved", "StockReleased", "CouponRejected"));
        awaitStatus(withCoupon, "CONFIRMED");
        Object total = given().get(orders + "/orders/" + withCoupon).then().extract().path("total");
        given().contentType(ContentType.JSON).body("{\"amount\": " + total + "}").post(orders + "/orders/" + withCoupon + "/payment")
                .then().statusCode(200);
        awaitStatus(withoutCoupon, "CONFIRMED");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "CANCELLED".equals(given().get(orders + "/orders/" + unpaid).then().extract().path("status")));
        awaitStatus(outOfStock, "CANCELLED");
        awaitStatus(unknownCoupon, "CANCELLED");

        Contract contract = Contract.fetch(orders, json);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String topic : List.of(Topics.ORDERS, Topics.INVENTORY, Topics.COUPONS)) {
            try (TopicReader reader = new TopicReader(system.stack.bootstrapServers(), topic)) {
                records.addAll(reader.until(read -> expected.entrySet().stream().allMatch(e -> seen(read, e.getKey())
                        .containsAll(e.getValue().stream().filter(t -> contract.topicOf(t).equals(topic)).toList())),
                        Duration.ofSeconds(30)));
            }
        }

        List<String> violations = new ArrayList<>();
        Set<String> typesSeen = new TreeSet<>();
        for (ConsumerRecord<String, String> r : records) {
            String where = r.topic() + "/" + r.partition() + "@" + r.offset() + " ";
            List<String> problems = contract.check(r);
            problems.forEach(p -> violations.add(where + p));
            if (problems.isEmpty()) {
                typesSeen.add(TopicReader.header(r, Topics.TYPE_HEADER));
            }
        }
        assertThat(violations).as("records that break the contract, of %d read", records.size()).isEmpty();
        // the check above is only as good as what it saw: every message of the contract, valid, at least once
        assertThat(typesSeen).isEqualTo(contract.messageNames());
    }

    @Test
    void theCheckRefusesRecordsThatBreakTheContract() {
        Contract contract = Contract.fetch(orders, json);
        String order = UUID.randomUUID().toString();
        String value = "{\"version\":2,\"orderId\":\"" + order + "\",\"reason\":\"OUT_OF_STOCK\",\"sku\":\"S\"}";
        assertThat(contract.check(record(Topics.INVENTORY, order, "StockRejected", UUID.randomUUID().toString(), value))).isEmpty();

        assertThat(contract.check(record(Topics.INVENTORY, UUID.randomUUID().toString(), "StockRejected", UUID.randomUUID().toString(), value)))
                .anySatisfy(p -> assertThat(p).contains("is not the payload's orderId"));
        assertThat(contract.check(record(Topics.INVENTORY, "o-1", "StockRejected", UUID.randomUUID().toString(), value.replace(order, "o-1"))))
                .anySatisfy(p -> assertThat(p).startsWith("key: "))
                .anySatisfy(p -> assertThat(p).startsWith("value: "));
        assertThat(contract.check(record(Topics.INVENTORY, order, "StockRejected", "event-1", value)))
                .anySatisfy(p -> assertThat(p).startsWith("header id=").contains("is no UUID"))
                .anySatisfy(p -> assertThat(p).startsWith("headers: "));
        assertThat(contract.check(record(Topics.INVENTORY, order, "StockVanished", UUID.randomUUID().toString(), value)))
                .containsExactly("header eventType=StockVanished names no message of the contract");
        assertThat(contract.check(record(Topics.ORDERS, order, "StockRejected", UUID.randomUUID().toString(), value)))
                .containsExactly("StockRejected belongs on inventory.events");
        assertThat(contract.check(record(Topics.INVENTORY, order, "StockRejected", UUID.randomUUID().toString(),
                value.replace("OUT_OF_STOCK", "SOLD_OUT")))).singleElement().asString().startsWith("value: ");
    }

    private static ConsumerRecord<String, String> record(String topic, String key, String type, String id, String value) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(topic, 0, 0L, key, value);
        r.headers().add(Topics.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        r.headers().add(Topics.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The AsyncAPI document and the schemas it names, fetched from an app, and the checks they imply. */
    private record Contract(URI document, JsonNode asyncApi, SchemaRegistry schemas, ObjectMapper json) {

        static Contract fetch(String app, ObjectMapper json) {
            URI document = URI.create(app + "/contract/asyncapi.yaml");
            JsonNode asyncApi = YAMLMapper.builder().build()
                    .readTree(given().get(document).then().statusCode(200).extract().asString());
            assertThat(asyncApi.path("asyncapi").asString()).isEqualTo("3.0.0");
            Map<String, String> texts = new HashMap<>();
            texts.put(document.toString(), asyncApi.toString());
            for (JsonNode message : asyncApi.path("components").path("messages")) {
                String ref = message.path("payload").path("schema").path("$ref").asString();
                URI schema = document.resolve(ref);
                texts.put(schema.toString(), given().get(schema).then().statusCode(200).extract().asString());
            }
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b
                    .schemas(texts)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
            return new Contract(document, asyncApi, registry, json);
        }

        Set<String> messageNames() {
            return new TreeSet<>(asyncApi.path("components").path("messages").propertyNames());
        }

        String topicOf(String eventType) {
            for (JsonNode channel : asyncApi.path("channels")) {
                if (channel.path("messages").has(eventType)) {
                    return channel.path("address").asString();
                }
            }
            throw new AssertionError(eventType + " is on no channel of the AsyncAPI document");
        }

        /** What is wrong with one record: empty when key, headers and value are what the contract says. */
        List<String> check(ConsumerRecord<String, String> r) {
            List<String> problems = new ArrayList<>();
            ObjectNode headers = json.createObjectNode();
            for (Header h : r.headers()) {
                if (headers.has(h.key())) {
                    problems.add("header " + h.key() + " appears twice");
                }
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            String type = headers.path(Topics.TYPE_HEADER).asString(null);
            if (type == null || !asyncApi.path("components").path("messages").has(type)) {
                problems.add("header eventType=" + type + " names no message of the contract");
                return problems;
            }
            if (!topicOf(type).equals(r.topic())) {
                problems.add(type + " belongs on " + topicOf(type));
            }
            if (!isUuid(headers.path(Topics.ID_HEADER).asString(null))) {
                problems.add("header id=" + headers.path(Topics.ID_HEADER) + " is no UUID");
            }
            String message = "#/components/messages/" + type;
            problems.addAll(errors("headers", schema(message + "/headers"), headers.toString()));
            problems.addAll(errors("key", schema(message + "/bindings/kafka/key"), json.writeValueAsString(r.key())));

            JsonNode payload = asyncApi.at("/components/messages/" + type + "/payload/schema/$ref");
            List<String> valueErrors = errors("value", schemas.getSchema(SchemaLocation.of(document.resolve(payload.asString()).toString())),
                    r.value());
            problems.addAll(valueErrors);
            if (valueErrors.isEmpty()) {
                String orderId = json.readTree(r.value()).path("orderId").asString();
                if (!orderId.equals(r.key())) {
                    problems.add("key " + r.key() + " is not the payload's orderId " + orderId);
                }
            }
            return problems;
        }

        private Schema schema(String pointer) {
            return schemas.getSchema(SchemaLocation.of(document + pointer));
        }

        private static List<String> errors(String part, Schema schema, String instance) {
            if (instance == null) {
                return List.of(part + " is missing");
            }
            return schema.validate(instance, InputFormat.JSON).stream().map(Error::toString)
                    .map(e -> part + ": " + e + " in " + instance).toList();
        }

        private static boolean isUuid(String s) {
            try {
                return s != null && UUID.fromString(s).toString().equals(s.toLowerCase());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    private static Set<String> seen(List<ConsumerRecord<String, String>> records, String orderId) {
        Set<String> types = new TreeSet<>();
        records.stream().filter(r -> orderId.equals(r.key())).forEach(r -> types.add(TopicReader.header(r, Topics.TYPE_HEADER)));
        return types;
    }

    private String stock(int available) {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": " + available + "}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        return sku;
    }

    private String coupon() {
        String code = "C-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"code\": \"" + code + "\", \"discountPercent\": 10}")
                .post(coupons + "/coupons").then().statusCode(201);
        return code;
    }

    private String place(String sku, int quantity, String coupon) {
        String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]"
                + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
        return given().contentType(ContentType.JSON).body(body).post(orders + "/orders").then().statusCode(202)
                .extract().path("id");
    }

    private void awaitStatus(String id, String status) {
        Callable<String> now = () -> given().get(orders + "/orders/" + id).then().statusCode(200).extract().path("status");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(now, s -> !"PENDING".equals(s));
        given().get(orders + "/orders/" + id).then().body("status", is(status));
    }
}
