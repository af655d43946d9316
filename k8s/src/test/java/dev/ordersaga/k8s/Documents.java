package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A rendered overlay: its YAML documents as JSON trees, in order. */
final class Documents {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Documents() {
    }

    static List<ObjectNode> parse(String yamlStream) {
        List<ObjectNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yamlStream)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!node.isObject()) {
                    throw new IllegalArgumentException("a document that is not a mapping: " + node);
                }
                docs.add((ObjectNode) node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Deep copies, so a test can break one without touching the others. */
    static List<ObjectNode> copy(List<ObjectNode> docs) {
        return docs.stream().map(ObjectNode::deepCopy).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    static String describe(JsonNode doc) {
        return doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
    }

    static ObjectMapper json() {
        return new ObjectMapper();
    }
}
