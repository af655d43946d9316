package dev.ordersaga.order.rest;

import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderLine;
import dev.ordersaga.order.domain.OrderService;
import dev.ordersaga.order.domain.PaymentRefused;
import dev.ordersaga.web.Problem;
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

    public OrderResource(OrderService orders) {
        this.orders = orders;
    }

    /** Accepted, not done: the order is PENDING until stock and coupon answer. Poll its Location. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(@NotNull @Valid PlaceOrderRequest body,
                          @HeaderParam("Idempotency-Key") @Size(min = 1, max = 100) @Pattern(regexp = "\\S+", message = "must not contain blanks") String idempotencyKey,
                          @Context UriInfo uri) {
        List<OrderLine> lines = body.items().stream().map(i -> new OrderLine(i.sku().trim(), i.quantity())).toList();
        String coupon = body.couponCode() == null ? null : body.couponCode().trim();
        Order order = orders.place(body.customerId().trim(), lines, coupon, idempotencyKey).order();
        return Response.accepted(OrderView.from(order))
                .location(uri.getBaseUriBuilder().path("orders").path(order.id().toString()).build())
                .build();
    }

    @GET
    @Path("/{id}")
    public OrderView get(@PathParam("id") String id) {
        return parse(id).flatMap(orders::find).map(OrderView::from)
                .orElseThrow(() -> new NotFoundException("no order " + id));
    }

    /**
     * Pays a CONFIRMED order its total: 200 with the PAID order; paying a PAID order again answers the same. A wrong
     * amount is 422, an order PENDING or CANCELLED 409 (a payment that lost the race with the payment deadline).
     */
    @POST
    @Path("/{id}/payment")
    @Consumes(MediaType.APPLICATION_JSON)
    public OrderView pay(@PathParam("id") String id, @NotNull @Valid PaymentRequest body) {
        return parse(id).flatMap(orderId -> orders.pay(orderId, body.amount())).map(OrderView::from)
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

    private static java.util.Optional<UUID> parse(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
