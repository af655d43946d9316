package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a new schema of an event with the committed schema of the same version and lists the changes that
 * would break a reader, or a writer, of that version.
 *
 * <p>Within a version a schema may only grow by optional fields and change its wording. Anything else breaks
 * someone: a removed or renamed field breaks a reader that uses it; a changed type or format breaks its parser;
 * an added restriction (an enum, a const, a pattern, a bound) or a field made required turns values that were
 * valid into invalid ones (events already on the topic, a subscriber's test data); a new enum value breaks a
 * reader that switches over the known ones; a field no longer required or newly nullable breaks a reader that
 * relied on it being there. Such a change needs a new version.
 */
public final class Compatibility {

    /** Keywords that only document: changing them breaks nobody. */
    private static final Set<String> WORDING = Set.of("title", "description", "$comment", "examples", "$schema", "$id");

    private Compatibility() {
    }

    /** Every breaking change from {@code committed} to {@code generated}, one line each; empty when compatible. */
    public static List<String> breakingChanges(JsonNode committed, JsonNode generated) {
        List<String> problems = new ArrayList<>();
        compare("$", committed, generated, problems);
        return problems;
    }

    private static void compare(String path, JsonNode old, JsonNode now, List<String> problems) {
        Set<String> keywords = new TreeSet<>();
        old.fieldNames().forEachRemaining(keywords::add);
        now.fieldNames().forEachRemaining(keywords::add);
        keywords.removeAll(WORDING);
        for (String k : keywords) {
            JsonNode was = old.get(k);
            JsonNode is = now.get(k);
            switch (k) {
                case "properties" -> compareProperties(path, old, now, problems);
                case "required" -> compareRequired(path, old, now, problems);
                case "items" -> {
                    if (was == null || is == null) {
                        changed(path, k, was, is, problems);
                    } else {
                        compare(path + "[]", was, is, problems);
                    }
                }
                case "type" -> {
                    if (!types(was).equals(types(is))) {
                        problems.add(path + ": type changed from " + text(was) + " to " + text(is));
                    }
                }
                case "format" -> {
                    if (!same(was, is)) {
                        problems.add(path + ": format changed from " + text(was) + " to " + text(is));
                    }
                }
                default -> changed(path, k, was, is, problems);
            }
        }
    }

    private static void changed(String path, String keyword, JsonNode was, JsonNode is, List<String> problems) {
        if (same(was, is)) {
            return;
        }
        if (was == null) {
            problems.add(path + ": adds the restriction " + keyword + "=" + text(is));
        } else if (is == null) {
            problems.add(path + ": drops " + keyword + "=" + text(was));
        } else {
            problems.add(path + ": " + keyword + " changed from " + text(was) + " to " + text(is));
        }
    }

    private static void compareProperties(String path, JsonNode old, JsonNode now, List<String> problems) {
        JsonNode was = old.path("properties");
        JsonNode is = now.path("properties");
        Set<String> required = names(now.get("required"));
        for (Iterator<String> it = was.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!is.has(field)) {
                problems.add(path + "." + field + ": removed (or renamed)");
            } else {
                compare(path + "." + field, was.get(field), is.get(field), problems);
            }
        }
        for (Iterator<String> it = is.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!was.has(field) && required.contains(field)) {
                problems.add(path + "." + field + ": added as a required field (events already written lack it)");
            }
        }
    }

    private static void compareRequired(String path, JsonNode old, JsonNode now, List<String> problems) {
        Set<String> was = names(old.get("required"));
        Set<String> is = names(now.get("required"));
        JsonNode oldProperties = old.path("properties");
        for (String field : is) {
            if (!was.contains(field) && oldProperties.has(field)) {
                problems.add(path + "." + field + ": optional field made required");
            }
        }
        for (String field : was) {
            if (!is.contains(field) && now.path("properties").has(field)) {
                problems.add(path + "." + field + ": required field made optional (readers rely on it)");
            }
        }
    }

    private static Set<String> types(JsonNode type) {
        return names(type);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return new TreeSet<>(out);
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String text(JsonNode node) {
        return node == null ? "(none)" : node.toString();
    }
}
