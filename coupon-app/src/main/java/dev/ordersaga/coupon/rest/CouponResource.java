package dev.ordersaga.coupon.rest;

import dev.ordersaga.coupon.domain.Coupon;
import dev.ordersaga.coupon.domain.CouponAlreadyIssued;
import dev.ordersaga.coupon.domain.CouponService;
import dev.ordersaga.web.Caller;
import dev.ordersaga.web.Problem;
import dev.ordersaga.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

@Path("/coupons")
@Produces(MediaType.APPLICATION_JSON)
public class CouponResource {

    public record IssueCouponRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "may contain letters, digits, '-' and '_' only") String code,
            @NotNull @Min(1) @Max(100) Integer discountPercent) {
    }

    public record CouponView(String code, int discountPercent, String status, String orderId) {
        static CouponView from(Coupon c) {
            return new CouponView(c.code(), c.discountPercent(), c.status().name(), c.orderId());
        }
    }

    private final CouponService coupons;

    public CouponResource(CouponService coupons) {
        this.coupons = coupons;
    }

    /** 201 with the new coupon; the same request again 200 with the coupon as it is now; another discount 409. */
    @POST
    @RolesAllowed(Caller.COUPON_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(@NotNull @Valid IssueCouponRequest body, @Context UriInfo uri) {
        CouponService.Issued issued = coupons.issue(body.code(), body.discountPercent());
        CouponView view = CouponView.from(issued.coupon());
        return issued.created()
                ? Response.created(uri.getBaseUriBuilder().path("coupons").path(view.code()).build()).entity(view).build()
                : Response.ok(view).build();
    }

    @ServerExceptionMapper
    public Response alreadyIssued(CouponAlreadyIssued e) {
        return Problem.response(409, "Conflict", e.getMessage(), List.of(new Problem.FieldError("code", e.getMessage())));
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({Caller.STOCK_ADMIN, Caller.COUPON_ADMIN, Caller.OPERATOR})
    public CouponView get(@PathParam("code") String code) {
        return coupons.find(code).map(CouponView::from)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "code", "no coupon " + code));
    }
}
