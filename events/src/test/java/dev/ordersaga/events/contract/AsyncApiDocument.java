package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ordersaga.events.CouponEvent;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.Topics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The AsyncAPI 3.0 document of the three topics, assembled from the sealed event families, {@link Topics} and
 * {@link EventTypes}: one channel per family, one message per record, whose payload refers to the record's
 * schema file next to the document ({@code schemas/<type>.v<version>.json}).
 */
public final class AsyncApiDocument {

    static final String KAFKA_BINDING_VERSION = "0.5.0";

    /** Who writes each family: the only fact the records do not carry. */
    private static final Map<Class<?>, String> PRODUCERS = Map.of(
            OrderEvent.class, "order-app",
            InventoryEvent.class, "inventory-app",
            CouponEvent.class, "coupon-app");

    private static final String DESCRIPTION = """
            The events of the order saga, as any Kafka client sees them. Each service writes its events to an
            outbox table in the transaction that changes its data; a relay publishes them from the database's
            write-ahead log.

            - Key: the order id (a UUID, UTF-8 text) for every event: all events of one order are on one
              partition, in the order they were committed.
            - Headers: `id`, the event id (a UUID, unique per event), and `eventType`, the message name;
              `traceparent` (W3C Trace Context) when tracing is on.
            - Value: one JSON object (UTF-8) with a `version` field; each message's schema is in `schemas/`.

            Delivery is at least once: after a crash the relay may publish an event again, with the same `id`
            and the same content. Deduplicate on the `id` header. Order holds per key (per order), not across
            orders or topics.

            Compatibility: within a version, fields are only added, and only optional ones; a reader ignores
            fields it does not know. Any other change raises the event's `version`, and the schema of the old
            version stays published (`schemas/<eventType>.v<version>.json`).
            """;


    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /** The document as YAML text, byte for byte what is committed. */
    public String yaml() {
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        try {
            return new ObjectMapper(yaml).writeValueAsString(document());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the AsyncAPI document", e);
        }
    }

    ObjectNode document() {
        ObjectNode doc = nodes.objectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "order-saga topics");
        // the document's own version; each event carries its payload version
        info.put("version", "1.0.0");
        info.put("description", DESCRIPTION);
        doc.put("defaultContentType", "application/json");
        ObjectNode local = doc.putObject("servers").putObject("local");
        local.put("host", "localhost:19092");
        local.put("protocol", "kafka");
        local.put("description", "The broker `make run` starts (KAFKA_PORT changes the port).");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode components = doc.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("EventId", string("uuid", "The event id: unique per event, the same on a redelivery. Deduplicate on it."));
        schemas.set("Traceparent", string(null,
                "W3C Trace Context of the transaction that wrote the event; present only when tracing is on."));
        components.putObject("correlationIds").putObject("orderId")
                .put("description", "Every event of one order carries its id")
                .put("location", "$message.payload#/orderId");

        for (Class<?> family : families()) {
            String topic = Topics.topicOf(aggregateType(family));
            String channelId = aggregateType(family);
            String producer = PRODUCERS.get(family);
            if (producer == null) {
                throw new IllegalStateException("no producing app named for " + family.getSimpleName() + " in " + getClass().getSimpleName());
            }
            ObjectNode channel = channels.putObject(channelId);
            channel.put("address", topic);
            channel.put("title", topic);
            channel.put("description", "Published by " + producer + ". Key: the order id.");
            ObjectNode channelMessages = channel.putObject("messages");
            channel.putObject("bindings").putObject("kafka").put("topic", topic).put("bindingVersion", KAFKA_BINDING_VERSION);

            ObjectNode operation = operations.putObject(channelId + ".publish");
            operation.put("action", "send");
            operation.put("title", producer + " publishes to " + topic);
            operation.set("channel", ref("#/channels/" + channelId));
            ArrayNode operationMessages = operation.putArray("messages");

            for (Class<? extends Event> type : types(family)) {
                String name = type.getSimpleName();
                channelMessages.set(name, ref("#/components/messages/" + name));
                operationMessages.add(ref("#/channels/" + channelId + "/messages/" + name));
                messages.set(name, message(type));
            }
        }
        return doc;
    }

    private ObjectNode message(Class<? extends Event> type) {
        String name = type.getSimpleName();
        ObjectNode m = nodes.objectNode();
        m.put("name", name);
        m.put("title", name + " v" + EventTypes.currentVersion(type));
        m.put("contentType", "application/json");
        m.set("correlationId", ref("#/components/correlationIds/orderId"));

        ObjectNode headers = m.putObject("headers");
        headers.put("type", "object");
        headers.putArray("required").add(Topics.ID_HEADER).add(Topics.TYPE_HEADER);
        ObjectNode props = headers.putObject("properties");
        props.set(Topics.ID_HEADER, ref("#/components/schemas/EventId"));
        props.putObject(Topics.TYPE_HEADER).put("type", "string").put("const", name);
        props.set("traceparent", ref("#/components/schemas/Traceparent"));

        ObjectNode payload = m.putObject("payload");
        payload.put("schemaFormat", "application/schema+json;version=draft-07");
        payload.set("schema", ref("schemas/" + EventSchemas.fileName(type)));

        ObjectNode kafka = m.putObject("bindings").putObject("kafka");
        // inline: a $ref here matches both branches of the binding's oneOf (reference or schema)
        kafka.set("key", string("uuid", "The order id (UTF-8 text): the record key of every saga event."));
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
        return m;
    }

    private ObjectNode string(String format, String description) {
        ObjectNode s = nodes.objectNode().put("type", "string");
        if (format != null) {
            s.put("format", format);
        }
        return s.put("description", description);
    }

    private ObjectNode ref(String target) {
        return nodes.objectNode().put("$ref", target);
    }

    /** The sealed families in a fixed order: orders, inventory, coupons (the saga's order). */
    static List<Class<?>> families() {
        List<Class<?>> order = List.of(OrderEvent.class, InventoryEvent.class, CouponEvent.class);
        return Arrays.stream(Event.class.getPermittedSubclasses())
                .sorted(Comparator.comparingInt(f -> order.indexOf(f) < 0 ? Integer.MAX_VALUE : order.indexOf(f)))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static List<Class<? extends Event>> types(Class<?> family) {
        List<Class<? extends Event>> out = new java.util.ArrayList<>();
        for (Class<?> c : family.getPermittedSubclasses()) {
            out.add((Class<? extends Event>) c);
        }
        return out;
    }

    private static String aggregateType(Class<?> family) {
        try {
            return (String) family.getField("AGGREGATE_TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(family.getSimpleName() + " declares no AGGREGATE_TYPE", e);
        }
    }
}
