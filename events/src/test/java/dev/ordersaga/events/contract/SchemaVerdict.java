package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to do with the generated schema of one event type, given the schemas committed for it by version.
 *
 * @param refusal why the change cannot be committed as it is (null when it can)
 * @param write   whether the generated schema differs from the committed file of its version (a new version,
 *                a new event type, or a compatible change)
 */
public record SchemaVerdict(String refusal, boolean write) {

    public boolean upToDate() {
        return refusal == null && !write;
    }

    /**
     * The rules: a schema of the same version may change only compatibly ({@link Compatibility}); a raised
     * version may change anything, as long as the schema of the version before it stays committed; a version
     * never goes down.
     */
    public static SchemaVerdict of(String eventType, int version, JsonNode generated, Map<Integer, JsonNode> committed) {
        TreeMap<Integer, JsonNode> byVersion = new TreeMap<>(committed);
        if (!byVersion.isEmpty() && byVersion.lastKey() > version) {
            return refuse(eventType + ": VERSION is " + version + " but " + EventSchemas.fileName(eventType, byVersion.lastKey())
                    + " is committed; a version never goes down");
        }
        JsonNode same = byVersion.get(version);
        if (same != null) {
            List<String> breaking = Compatibility.breakingChanges(same, generated);
            if (!breaking.isEmpty()) {
                return refuse(eventType + " v" + version + " changes in a way that breaks its readers:\n  - "
                        + String.join("\n  - ", breaking)
                        + "\n  Raise " + eventType + ".VERSION to " + (version + 1) + " and keep "
                        + EventSchemas.fileName(eventType, version) + " (readers of v" + version + " still need it).");
            }
            return new SchemaVerdict(null, !same.equals(generated));
        }
        if (version > 1 && !byVersion.containsKey(version - 1)) {
            return refuse(eventType + ": VERSION " + version + " needs the schema of the version before it, "
                    + EventSchemas.fileName(eventType, version - 1) + ", still committed (readers of v" + (version - 1) + " need it)");
        }
        return new SchemaVerdict(null, true);
    }

    private static SchemaVerdict refuse(String why) {
        return new SchemaVerdict(why, false);
    }
}
