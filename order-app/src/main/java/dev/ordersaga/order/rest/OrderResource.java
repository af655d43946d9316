package dev.ordersaga.order.rest;

import dev.ordersaga.order.domain.Order;
import dev.ordersaga.order.domain.OrderLine;
import dev.ordersaga.order.domain.OrderService;
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

    private static java.util.Optional<UUID> parse(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
