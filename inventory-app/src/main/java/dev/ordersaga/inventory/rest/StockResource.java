package dev.ordersaga.inventory.rest;

import dev.ordersaga.inventory.domain.InventoryService;
import dev.ordersaga.inventory.domain.Stock;
import dev.ordersaga.inventory.domain.StockChanged;
import dev.ordersaga.web.Caller;
import dev.ordersaga.web.Problem;
import dev.ordersaga.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;

/**
 * Stock by SKU. Each answer carries the stock's {@code ETag}; a {@code PUT} with {@code If-Match} writes only if the
 * stock is still at that version (412 otherwise: read it again), so two admins cannot overwrite each other blindly.
 */
@Path("/stock")
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    /** {@code price}: the unit price of new reservations, optional (a new SKU costs 0; otherwise it stays). */
    public record SetStockRequest(@NotNull @Min(0) @Max(1_000_000_000) Integer available,
                                  @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal price) {
    }

    public record StockView(String sku, int available, int reserved, int sold, BigDecimal price) {
        static StockView from(Stock s) {
            return new StockView(s.sku(), s.available(), s.reserved(), s.sold(), s.price());
        }
    }

    private final InventoryService inventory;

    public StockResource(InventoryService inventory) {
        this.inventory = inventory;
    }

    /** 201 when the write created the SKU, 200 when it replaced what was available. */
    @PUT
    @Path("/{sku}")
    @RolesAllowed(Caller.STOCK_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(@PathParam("sku") @Size(max = 64) @Pattern(regexp = "\\S+", message = "must not contain blanks") String sku,
                        @HeaderParam("If-Match") String ifMatch,
                        @NotNull @Valid SetStockRequest body, @Context UriInfo uri) {
        InventoryService.Written written = inventory.setAvailable(sku, body.available(), body.price(), expectedVersion(ifMatch));
        Response.ResponseBuilder answer = written.created()
                ? Response.created(uri.getBaseUriBuilder().path("stock").path(sku).build())
                : Response.ok();
        return answer.entity(StockView.from(written.stock())).tag(tag(written.stock())).build();
    }

    @GET
    @Path("/{sku}")
    @RolesAllowed({Caller.STOCK_ADMIN, Caller.COUPON_ADMIN, Caller.OPERATOR})
    public Response get(@PathParam("sku") String sku) {
        Stock s = inventory.find(sku).orElseThrow(() -> new ProblemException(404, "Not Found", "sku", "no stock for SKU " + sku));
        return Response.ok(StockView.from(s)).tag(tag(s)).build();
    }

    @ServerExceptionMapper
    public Response changed(StockChanged e) {
        return Problem.response(412, "Precondition Failed", e.getMessage(), List.of(new Problem.FieldError("If-Match", e.getMessage())));
    }

    private static EntityTag tag(Stock s) {
        return new EntityTag(Long.toString(s.version()));
    }

    /** {@code If-Match: "7"}: version 7; absent: unconditional. {@code *} (any version) is not offered: name one. */
    private static OptionalLong expectedVersion(String ifMatch) {
        if (ifMatch == null) {
            return OptionalLong.empty();
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 3 && v.startsWith("\"") && v.endsWith("\"")) {
            try {
                return OptionalLong.of(Long.parseLong(v.substring(1, v.length() - 1)));
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new ProblemException(400, "Bad Request", "If-Match", "must be one ETag of this stock, as GET answers it (\"7\")");
    }
}
