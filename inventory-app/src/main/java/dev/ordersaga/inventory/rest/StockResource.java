package dev.ordersaga.inventory.rest;

import java.math.BigDecimal;
import dev.ordersaga.inventory.domain.InventoryService;
import dev.ordersaga.inventory.domain.Stock;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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

    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    public StockView set(@PathParam("sku") @Size(max = 64) String sku, @NotNull @Valid SetStockRequest body) {
        return StockView.from(inventory.setAvailable(sku, body.available(), body.price()));
    }

    @GET
    @Path("/{sku}")
    public StockView get(@PathParam("sku") String sku) {
        return inventory.find(sku).map(StockView::from).orElseThrow(() -> new NotFoundException("no stock for SKU " + sku));
    }
}
