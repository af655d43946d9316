package dev.ordersaga.order.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.web.Caller;
import dev.ordersaga.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The operator's console: one answer from the three services' ops API (called with the operator's own token) and
 * from Kafka. A service that does not answer is {@code "available": false} in the answer, never a 5xx of the
 * console: the others still tell most of the story.
 */
@Path("/ops/console")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class ConsoleResource {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpsPeers peers;
    private final KafkaOps kafka;
    private final OrderService orders;

    public ConsoleResource(OpsPeers peers, KafkaOps kafka, OrderService orders) {
        this.peers = peers;
        this.kafka = kafka;
        this.orders = orders;
    }

    @GET
    @Path("/orders/{orderId}")
    public ObjectNode order(@PathParam("orderId") String orderId, @HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw new ProblemException(400, "Bad Request", "orderId", "an order id: 1-100 letters, digits, '.', '_', ':' or '-'");
        }
        String id = encode(orderId);
        URI self = uri.getBaseUri();
        List<PeerAnswer> views = peers.getAll("/ops/orders/" + id, auth, self);
        List<PeerAnswer> audits = peers.getAll("/ops/audit?orderId=" + id, auth, self);
        ObjectNode out = Timeline.merge(views, audits);
        out.put("orderId", orderId);
        // the saga's owner answers for the order itself even when no ops API does
        out.set("order", summary(orderId));
        return out;
    }

    @GET
    @Path("/events/{eventId}")
    public ObjectNode event(@PathParam("eventId") String eventId, @HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        UUID id = uuid(eventId, "eventId");
        URI self = uri.getBaseUri();
        ObjectNode out = Timeline.merge(peers.getAll("/ops/events/" + id, auth, self), List.of());
        out.put("eventId", id.toString());
        return out;
    }

    @GET
    @Path("/records/{topic}/{partition}/{offset}")
    public KafkaOps.Record record(@PathParam("topic") String topic, @PathParam("partition") String partition,
                                  @PathParam("offset") String offset) {
        if (!TOPIC.matcher(topic).matches()) {
            throw new ProblemException(400, "Bad Request", "topic", "a Kafka topic name");
        }
        int p = (int) number(partition, "partition", Integer.MAX_VALUE);
        long o = number(offset, "offset", Long.MAX_VALUE);
        try {
            return kafka.read(topic, p, o).orElseThrow(() ->
                    new ProblemException(404, "Not Found", "offset", "no record at " + topic + "/" + p + "@" + o));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ProblemException(503, "Service Unavailable", "kafka", "Kafka did not answer: " + e.getMessage());
        }
    }

    @GET
    @Path("/parked")
    public ObjectNode parked(@HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        return Timeline.list(peers.getAll("/ops/parked?status=parked&limit=100", auth, uri.getBaseUri()), "parkedAt");
    }

    @GET
    @Path("/audit")
    public ObjectNode audit(@HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        return Timeline.list(peers.getAll("/ops/audit", auth, uri.getBaseUri()), "at");
    }

    /** Replay or skip, done by the service that parked the event; its answer (or problem) is passed on as it came. */
    @POST
    @Path("/parked/{service}/{consumer}/{eventId}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response act(@PathParam("service") String service, @PathParam("consumer") String consumer,
                        @PathParam("eventId") String eventId, @PathParam("action") String action, JsonNode body,
                        @HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        if (!OpsPeers.known(service)) {
            throw new ProblemException(404, "Not Found", "service", "one of " + OpsPeers.SERVICES);
        }
        if (!action.equals("replay") && !action.equals("skip")) {
            throw new ProblemException(404, "Not Found", "action", "replay or skip");
        }
        UUID id = uuid(eventId, "eventId");
        JsonNode reason = body == null ? null : body.get("reason");
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw new ProblemException(400, "Bad Request", "reason", "say why (it goes into the audit)");
        }
        ObjectNode forwarded = NODES.objectNode().put("reason", reason.asText());
        PeerAnswer answer = peers.post(service, "/ops/parked/" + encode(consumer) + "/" + id + "/" + action, forwarded, auth, uri.getBaseUri());
        if (answer.status() == 0) {
            // the action may or may not have been done: the audit of that service tells
            throw new ProblemException(502, "Bad Gateway", "service", service + " did not answer: " + answer.error());
        }
        String type = answer.available() ? MediaType.APPLICATION_JSON : dev.ordersaga.web.Problem.MEDIA_TYPE;
        return Response.status(answer.status()).type(type).entity(answer.body() == null ? NODES.objectNode() : answer.body()).build();
    }

    /** Each service's relay slot, parked and duplicate counts, and every saga consumer group's lag per partition. */
    @GET
    @Path("/backlog")
    public ObjectNode backlog(@HeaderParam("Authorization") String auth, @Context UriInfo uri) {
        ObjectNode out = NODES.objectNode();
        var services = out.putArray("services");
        for (PeerAnswer a : peers.getAll("/ops/backlog", auth, uri.getBaseUri())) {
            ObjectNode s = services.addObject().put("service", a.service()).put("available", a.available());
            if (a.available() && a.body() != null) {
                s.set("backlog", a.body());
            } else {
                s.put("error", a.error());
            }
        }
        ObjectNode lag = out.putObject("consumerLag");
        try {
            lag.put("available", true).set("partitions", NODES.pojoNode(kafka.lag()));
        } catch (Exception e) {
            lag.put("available", false).put("error", "Kafka did not answer: " + e);
        }
        return out;
    }

    private JsonNode summary(String orderId) {
        Optional<Order> order;
        try {
            order = orders.find(UUID.fromString(orderId));
        } catch (IllegalArgumentException notAUuid) {
            return NODES.nullNode();
        }
        return order.<JsonNode>map(o -> NODES.objectNode().put("id", o.id().toString()).put("status", o.status().name())
                        .put("reason", o.reason() == null ? null : o.reason().name()).put("customerId", o.customerId())
                        .put("couponCode", o.couponCode()).put("placedAt", o.placedAt().toString()))
                .orElse(NODES.nullNode());
    }

    private static UUID uuid(String value, String field) {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException(value);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "Bad Request", field, "a UUID");
        }
    }

    private static long number(String value, String field, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the problem below names the field
        }
        throw new ProblemException(400, "Bad Request", field, "a whole number from 0 to " + max);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
