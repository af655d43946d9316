package dev.ordersaga.outbox.ops;

import dev.ordersaga.outbox.consumer.ParkedActions;
import dev.ordersaga.outbox.consumer.ParkedEvent;
import dev.ordersaga.outbox.consumer.ParkedEvents;
import dev.ordersaga.outbox.ops.OpsViews.Action;
import dev.ordersaga.outbox.ops.OpsViews.Audit;
import dev.ordersaga.outbox.ops.OpsViews.Backlog;
import dev.ordersaga.outbox.ops.OpsViews.Consumed;
import dev.ordersaga.outbox.ops.OpsViews.OperatorRequest;
import dev.ordersaga.outbox.ops.OpsViews.Parked;
import dev.ordersaga.outbox.ops.OpsViews.Trail;
import dev.ordersaga.outbox.ops.OpsViews.Written;
import dev.ordersaga.web.Caller;
import dev.ordersaga.web.Problem;
import dev.ordersaga.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The operators' view of this service's events: what it wrote, what its consumers did with each delivery, what they
 * parked, and replay or skip of a parked event with the reason recorded. The console in order-app reads it from
 * every service.
 */
@Path("/ops")
@RolesAllowed(Caller.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class OpsResource {

    private static final Set<String> STATUSES = Set.of(ParkedEvent.PARKED, ParkedEvent.REPLAYED, ParkedEvent.SKIPPED, "all");

    private final String service;
    private final OpsQueries queries;
    private final ParkedEvents parked;
    private final ParkedActions actions;
    private final Instance<OrderState> state;
    private final Caller caller;

    public OpsResource(@ConfigProperty(name = "quarkus.application.name") String service, OpsQueries queries,
                       ParkedEvents parked, ParkedActions actions, Instance<OrderState> state, Caller caller) {
        this.service = service;
        this.queries = queries;
        this.parked = parked;
        this.actions = actions;
        this.state = state;
        this.caller = caller;
    }

    @GET
    @Path("/orders/{orderId}")
    public Trail order(@PathParam("orderId") String orderId) {
        return new Trail(service, describe(orderId), queries.writtenForOrder(orderId), queries.consumedForOrder(orderId),
                parked.ofOrder(orderId).stream().map(Parked::of).toList());
    }

    @GET
    @Path("/events/{eventId}")
    public Trail event(@PathParam("eventId") String eventId) {
        UUID id = uuid(eventId);
        List<Written> written = queries.writtenEvent(id);
        List<Consumed> consumed = queries.consumedEvent(id);
        List<Parked> parkings = parked.ofEvent(id).stream().map(Parked::of).toList();
        String orderId = Stream.of(written.stream().map(Written::orderId), consumed.stream().map(Consumed::orderId),
                        parkings.stream().map(Parked::orderId))
                .flatMap(s -> s).filter(o -> o != null).findFirst().orElse(null);
        if (written.isEmpty() && consumed.isEmpty() && parkings.isEmpty()) {
            throw new ProblemException(404, "Not Found", "eventId", service + " knows no event " + id);
        }
        return new Trail(service, orderId == null ? Map.of() : describe(orderId), written, consumed, parkings);
    }

    @GET
    @Path("/parked")
    public List<Parked> parked(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        String wanted = status == null ? ParkedEvent.PARKED : status;
        if (!STATUSES.contains(wanted)) {
            throw new ProblemException(400, "Invalid request", "status", "must be one of parked, replayed, skipped, all");
        }
        return parked.latest(wanted.equals("all") ? null : wanted, limit(limit)).stream().map(Parked::of).toList();
    }

    @POST
    @Path("/parked/{consumer}/{eventId}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Action replay(@PathParam("consumer") String consumer, @PathParam("eventId") String eventId, OperatorRequest body) {
        String reason = reason(body);
        UUID id = uuid(eventId);
        return act(() -> actions.replay(consumer, id, caller.subject(), reason));
    }

    @POST
    @Path("/parked/{consumer}/{eventId}/skip")
    @Consumes(MediaType.APPLICATION_JSON)
    public Action skip(@PathParam("consumer") String consumer, @PathParam("eventId") String eventId, OperatorRequest body) {
        String reason = reason(body);
        UUID id = uuid(eventId);
        return act(() -> actions.skip(consumer, id, caller.subject(), reason));
    }

    @GET
    @Path("/audit")
    public List<Audit> audit(@QueryParam("orderId") String orderId, @QueryParam("limit") String limit) {
        return queries.audit(orderId == null || orderId.isBlank() ? null : orderId, limit(limit));
    }

    @GET
    @Path("/backlog")
    public Backlog backlog() {
        return new Backlog(service, queries.relay(), parked.parkedPerConsumer(), queries.duplicatesLastDay());
    }

    private Map<String, Object> describe(String orderId) {
        return state.isResolvable() ? state.get().describe(orderId) : Map.of();
    }

    private static Action act(java.util.function.Supplier<ParkedActions.Result> action) {
        try {
            return Action.of(action.get());
        } catch (ParkedActions.Unknown e) {
            throw new ProblemException(404, "Not Found", "eventId", e.getMessage());
        } catch (ParkedActions.NotParked e) {
            throw new ProblemException(409, "Conflict", "eventId", e.getMessage());
        }
    }

    /** A replay stopped part way: a 503 problem that says what it replayed before it stopped. */
    @ServerExceptionMapper
    public Response stopped(ParkedActions.Stopped e) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Service Unavailable");
        problem.put("status", 503);
        problem.put("detail", e.getMessage() + "; replay again later");
        problem.put("replayed", e.replayed());
        return Response.status(503).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String reason(OperatorRequest body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new ProblemException(400, "Invalid request", "reason", "must not be blank: say why, for the audit");
        }
        return body.reason().strip();
    }

    private static UUID uuid(String eventId) {
        try {
            return UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "Invalid request", "eventId", "must be a UUID");
        }
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "Invalid request", "limit", "must be an integer from 1 to 1000");
    }
}
