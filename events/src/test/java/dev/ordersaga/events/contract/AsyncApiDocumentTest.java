package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed AsyncAPI document is valid AsyncAPI 3.0 and names every event, on its topic, with its schema. */
class AsyncApiDocumentTest {

    private final ContractFiles files = ContractFiles.ofModule();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theDocumentIsValidAsyncApi300() throws Exception {
        assertThat(specErrors(withPayloadsInline(committed()))).isEmpty();
    }

    @Test
    void theSpecificationCheckCatchesAMistake() throws Exception {
        ObjectNode doc = withPayloadsInline(committed());
        ((ObjectNode) doc.at("/operations/orders.publish")).put("action", "publish");
        assertThat(specErrors(doc)).isNotEmpty();
    }

    @Test
    void everyEventIsAMessageOnItsTopicWithItsCommittedSchema() throws Exception {
        JsonNode doc = committed();
        for (Class<? extends Event> type : EventTypes.all().values()) {
            String name = type.getSimpleName();
            // the family (OrderEvent, ...) names the topic
            String topic = Topics.topicOf((String) type.getInterfaces()[0].getField("AGGREGATE_TYPE").get(null));
            String channel = channelOf(doc, name);
            assertThat(channel).as(name).isNotNull();
            assertThat(doc.at("/channels/" + channel + "/address").asText()).as(name).isEqualTo(topic);

            JsonNode message = doc.at("/components/messages/" + name);
            String ref = message.at("/payload/schema/$ref").asText();
            assertThat(ref).isEqualTo("schemas/" + EventSchemas.fileName(type));
            assertThat(files.dir.resolve(ref)).exists();
            assertThat(message.at("/headers/required").toString()).isEqualTo("[\"id\",\"eventType\"]");
            assertThat(message.at("/headers/properties/eventType/const").asText()).isEqualTo(name);
            assertThat(message.at("/bindings/kafka/key/format").asText()).isEqualTo("uuid");
        }
    }

    private String channelOf(JsonNode doc, String message) {
        for (var it = doc.path("channels").fields(); it.hasNext(); ) {
            var channel = it.next();
            if (channel.getValue().path("messages").has(message)) {
                return channel.getKey();
            }
        }
        return null;
    }

    private JsonNode committed() throws Exception {
        return new YAMLMapper().readTree(files.dir.resolve(ContractFiles.ASYNCAPI).toFile());
    }

    /** The payload schemas put in place of their file references, as a tool that follows them sees the document. */
    private ObjectNode withPayloadsInline(JsonNode doc) throws Exception {
        ObjectNode copy = doc.deepCopy();
        for (JsonNode message : copy.path("components").path("messages")) {
            ObjectNode payload = (ObjectNode) message.path("payload");
            ObjectNode schema = (ObjectNode) json.readTree(Files.readString(files.dir.resolve(payload.at("/schema/$ref").asText())));
            schema.remove("$schema");
            payload.set("schema", schema);
        }
        return copy;
    }

    private List<Error> specErrors(JsonNode doc) throws Exception {
        try (InputStream spec = getClass().getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(new String(spec.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), InputFormat.JSON);
            return schema.validate(json.writeValueAsString(doc), InputFormat.JSON);
        }
    }
}
