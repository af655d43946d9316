package dev.ordersaga.order.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One order's (or event's) story from the three services' answers: per event where it was written, where the
 * relay put it (topic, partition, offset and time from any consumer's journal row), what each consumer did with it
 * and what that caused; and every step on one time line. Services that did not answer add nothing but their
 * {@code available: false}.
 */
final class Timeline {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Timeline() {
    }

    /** {@code views}: answers of {@code /ops/orders/{id}} or {@code /ops/events/{id}}; {@code audits}: of {@code /ops/audit}. */
    static ObjectNode merge(List<PeerAnswer> views, List<PeerAnswer> audits) {
        ObjectNode out = NODES.objectNode();
        ArrayNode services = out.putArray("services");
        Map<String, ObjectNode> events = new LinkedHashMap<>();
        List<ObjectNode> steps = new ArrayList<>();
        ArrayNode parked = NODES.arrayNode();
        for (PeerAnswer a : views) {
            ObjectNode s = services.addObject();
            s.put("service", a.service()).put("available", a.available());
            if (!a.available()) {
                s.put("error", a.error());
                continue;
            }
            JsonNode body = a.body() == null ? NODES.objectNode() : a.body();
            s.set("state", body.path("state").isMissingNode() ? NODES.objectNode() : body.path("state"));
            for (JsonNode w : body.path("written")) {
                ObjectNode e = event(events, w.path("eventId").asText());
                e.put("type", w.path("type").asText(null)).put("producer", a.service())
                        .put("writtenAt", w.path("writtenAt").asText(null)).put("published", w.path("published").asBoolean(false));
                e.set("traceparent", w.path("traceparent"));
                steps.add(step(w.path("writtenAt"), a.service(), "written", w)
                        .put("detail", w.path("published").asBoolean(false) ? "published by the relay" : "not yet published"));
            }
            for (JsonNode c : body.path("consumed")) {
                ObjectNode e = event(events, c.path("eventId").asText());
                if (!e.hasNonNull("type")) {
                    e.put("type", c.path("type").asText(null));
                }
                if (!e.hasNonNull("topic") && c.hasNonNull("topic")) {
                    e.put("topic", c.path("topic").asText()).put("partition", c.path("partition").asInt())
                            .put("offset", c.path("offset").asLong()).set("publishedAt", c.path("publishedAt"));
                    if (c.hasNonNull("publishedAt")) {
                        steps.add(step(c.path("publishedAt"), "outbox-relay", "published", c)
                                .put("detail", c.path("topic").asText() + "/" + c.path("partition").asInt() + "@" + c.path("offset").asLong()));
                    }
                }
                ObjectNode outcome = ((ArrayNode) e.get("consumers")).addObject();
                outcome.put("consumer", c.path("consumer").asText()).put("outcome", c.path("outcome").asText())
                        .set("at", c.path("at"));
                outcome.set("caused", c.path("caused").isArray() ? c.path("caused") : NODES.arrayNode());
                if (!e.hasNonNull("traceparent") && c.hasNonNull("traceparent")) {
                    e.set("traceparent", c.path("traceparent"));
                }
                steps.add(step(c.path("at"), c.path("consumer").asText(a.service()), c.path("outcome").asText(), c)
                        .put("detail", causedText(c.path("caused"))));
            }
            for (JsonNode p : body.path("parked")) {
                ObjectNode copy = ((ObjectNode) p.deepCopy()).put("service", a.service());
                parked.add(copy);
                ObjectNode e = event(events, p.path("eventId").asText());
                if (!e.hasNonNull("type")) {
                    e.put("type", p.path("type").asText(null));
                }
                if (!e.hasNonNull("topic") && p.hasNonNull("topic")) {
                    e.put("topic", p.path("topic").asText()).put("partition", p.path("partition").asInt()).put("offset", p.path("offset").asLong());
                }
                steps.add(step(p.path("parkedAt"), p.path("consumer").asText(a.service()), "parked (" + p.path("status").asText() + ")", p)
                        .put("detail", p.path("reason").asText("")));
            }
        }
        ArrayNode audit = NODES.arrayNode();
        for (PeerAnswer a : audits) {
            if (!a.available() || a.body() == null) {
                continue;
            }
            for (JsonNode action : a.body()) {
                audit.add(((ObjectNode) action.deepCopy()).put("service", a.service()));
                steps.add(step(action.path("at"), action.path("consumer").asText(a.service()), action.path("action").asText(), action)
                        .put("detail", action.path("actor").asText() + ": " + action.path("reason").asText() + " -> " + action.path("outcome").asText()));
            }
        }
        List<ObjectNode> ordered = new ArrayList<>(events.values());
        ordered.sort(Comparator.comparing((ObjectNode e) -> firstTime(e)));
        out.putArray("events").addAll(ordered);
        steps.sort(Comparator.comparing((ObjectNode s) -> time(s.path("at"))));
        out.putArray("timeline").addAll(steps);
        out.set("parked", parked);
        out.set("audit", sortedNewestFirst(audit));
        return out;
    }

    /** Answers of {@code /ops/parked} or {@code /ops/audit} (arrays), one list newest first, each row naming its service. */
    static ObjectNode list(List<PeerAnswer> answers, String timeField) {
        ObjectNode out = NODES.objectNode();
        ArrayNode services = out.putArray("services");
        List<ObjectNode> rows = new ArrayList<>();
        for (PeerAnswer a : answers) {
            ObjectNode s = services.addObject().put("service", a.service()).put("available", a.available());
            if (!a.available()) {
                s.put("error", a.error());
                continue;
            }
            if (a.body() != null) {
                a.body().forEach(row -> rows.add(((ObjectNode) row.deepCopy()).put("service", a.service())));
            }
        }
        rows.sort(Comparator.comparing((ObjectNode r) -> time(r.path(timeField))).reversed());
        out.putArray("rows").addAll(rows);
        return out;
    }

    private static ArrayNode sortedNewestFirst(ArrayNode audit) {
        List<JsonNode> rows = new ArrayList<>();
        audit.forEach(rows::add);
        rows.sort(Comparator.comparing((JsonNode r) -> time(r.path("at"))).reversed());
        return NODES.arrayNode().addAll(rows);
    }

    private static ObjectNode event(Map<String, ObjectNode> events, String id) {
        return events.computeIfAbsent(id, k -> {
            ObjectNode e = NODES.objectNode().put("eventId", k);
            e.putArray("consumers");
            return e;
        });
    }

    private static ObjectNode step(JsonNode at, String who, String what, JsonNode row) {
        ObjectNode s = NODES.objectNode();
        s.set("at", at.isMissingNode() ? NODES.nullNode() : at);
        s.put("who", who).put("what", what).put("eventId", row.path("eventId").asText(null)).put("type", row.path("type").asText(null));
        return s;
    }

    private static String causedText(JsonNode caused) {
        if (!caused.isArray() || caused.isEmpty()) {
            return "";
        }
        List<String> ids = new ArrayList<>();
        caused.forEach(c -> ids.add(c.asText()));
        return "caused " + String.join(", ", ids);
    }

    private static Instant firstTime(ObjectNode e) {
        Instant t = time(e.path("writtenAt"));
        for (JsonNode c : e.path("consumers")) {
            Instant at = time(c.path("at"));
            if (at.isBefore(t)) {
                t = at;
            }
        }
        return t;
    }

    /** Unparseable or missing times sort last: a row is never dropped for its timestamp. */
    private static Instant time(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return Instant.MAX;
        }
        try {
            return java.time.OffsetDateTime.parse(node.asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return Instant.parse(node.asText());
            } catch (java.time.format.DateTimeParseException again) {
                return Instant.MAX;
            }
        }
    }
}
