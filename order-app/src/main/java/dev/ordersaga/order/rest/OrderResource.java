package dev.ordersaga.order.rest;

import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderLine;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.order.domain.IdempotencyKeyReused;
import dev.ordersaga.order.domain.PaymentRefused;
import dev.ordersaga.web.Caller;
import dev.ordersaga.web.Problem;
import dev.ordersaga.web.ProblemException;
import dev.ordersaga.web.StrictText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.QueryParam;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService orders;
    private final Caller caller;

    public OrderResource(OrderService orders, Caller caller) {
        this.orders = orders;
        this.caller = caller;
    }

    /**
     * Accepted, not done: the order is PENDING until stock and coupon answer. Poll its Location. The order is the
     * caller's: {@code customerId} may be left out, and naming another customer is 403.
     */
    @POST
    @RolesAllowed(Caller.CUSTOMER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(@NotNull @Valid PlaceOrderRequest body,
                          @HeaderParam("Idempotency-Key") @Size(min = 1, max = 100) @Pattern(regexp = "\\S+", message = "must not contain blanks") String idempotencyKey,
                          @Context UriInfo uri) {
        String customer = caller.subject();
        if (customer.length() > 100 || customer.isBlank() || StrictText.refusal(customer, false).isPresent()) {
            throw new ProblemException(403, "Forbidden", "Authorization", "the token's subject cannot be a customer id (1-100 characters)");
        }
        if (body.customerId() != null && !body.customerId().equals(customer)) {
            throw new ProblemException(403, "Forbidden", "customerId", "an order is placed for the token's subject only");
        }
        List<OrderLine> lines = body.items().stream().map(i -> new OrderLine(i.sku(), i.quantity())).toList();
        Order order = orders.place(customer, lines, body.couponCode(), idempotencyKey).order();
        return Response.accepted(OrderView.from(order))
                .location(uri.getBaseUriBuilder().path("orders").path(order.id().toString()).build())
                .build();
    }

    /** The caller's order; an operator may read any. Someone else's order is not found (its existence stays private). */
    @GET
    @Path("/{id}")
    @RolesAllowed({Caller.CUSTOMER, Caller.OPERATOR})
    public OrderView get(@PathParam("id") String id) {
        return OrderView.from(visible(id));
    }

    /**
     * The caller's orders, newest first, {@code size} (1-100, default 20) per page from {@code page} 0. An operator
     * lists everyone's, or one customer's with {@code customerId}.
     */
    @GET
    @RolesAllowed({Caller.CUSTOMER, Caller.OPERATOR})
    public OrderPage list(@QueryParam("page") String page, @QueryParam("size") String size,
                          @QueryParam("customerId") @Size(max = 100) String customerId) {
        int p = number("page", page, 0, 0, 100_000);
        int n = number("size", size, 20, 1, 100);
        String whose;
        if (caller.is(Caller.OPERATOR)) {
            whose = customerId;
        } else if (customerId == null || customerId.equals(caller.subject())) {
            whose = caller.subject();
        } else {
            throw new ProblemException(403, "Forbidden", "customerId", "a customer lists their own orders only");
        }
        List<OrderView> items = orders.list(whose, p * n, n + 1).stream().map(OrderView::from).toList();
        return new OrderPage(items.size() > n ? items.subList(0, n) : items, p, n, items.size() > n);
    }

    /** One page of {@link #list}: {@code more} when a next page has orders. */
    public record OrderPage(List<OrderView> items, int page, int size, boolean more) {
    }

    /**
     * Pays a CONFIRMED order its total: 200 with the PAID order; paying a PAID order again answers the same. A wrong
     * amount is 422, an order PENDING or CANCELLED 409 (a payment that lost the race with the payment deadline).
     */
    @POST
    @Path("/{id}/payment")
    @RolesAllowed(Caller.CUSTOMER)
    @Consumes(MediaType.APPLICATION_JSON)
    public OrderView pay(@PathParam("id") String id, @NotNull @Valid PaymentRequest body) {
        Order mine = visible(id);
        if (!mine.customerId().equals(caller.subject())) {
            throw new ProblemException(403, "Forbidden", "id", "a customer pays their own orders only");
        }
        return orders.pay(mine.id(), body.amount()).map(OrderView::from)
                .orElseThrow(() -> new NotFoundException("no order " + id));
    }

    @ServerExceptionMapper
    public Response refused(PaymentRefused e) {
        return switch (e.why()) {
            case WRONG_AMOUNT -> Problem.response(422, "Wrong amount", e.getMessage(),
                    List.of(new Problem.FieldError("amount", e.getMessage())));
            case NOT_PAYABLE -> Problem.response(409, "Order not payable", e.getMessage(),
                    List.of(new Problem.FieldError("status", e.getMessage())));
        };
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReused e) {
        return Problem.response(422, "Idempotency key reused", e.getMessage(),
                List.of(new Problem.FieldError("Idempotency-Key", e.getMessage())));
    }

    /** The order, if the caller may see it: their own, or any for an operator. */
    private Order visible(String id) {
        return parse(id).flatMap(orders::find)
                .filter(o -> caller.is(Caller.OPERATOR) || o.customerId().equals(caller.subject()))
                .orElseThrow(() -> new ProblemException(404, "Not Found", "id", "no order " + id));
    }

    private static int number(String field, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "Invalid request", field, "must be an integer from " + min + " to " + max);
    }

    private static java.util.Optional<UUID> parse(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
