package dev.ordersaga.order.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

public record PlaceOrderRequest(
        // optional: the order is the token subject's; if given it must be that subject
        @Size(min = 1, max = 100) @Pattern(regexp = "\\S+", message = "must not contain blanks") String customerId,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Item> items,
        @Size(min = 1, max = 64) @Pattern(regexp = "\\S+", message = "must not contain blanks") String couponCode) {

    public record Item(
            @NotBlank @Size(max = 64) @Pattern(regexp = "\\S+", message = "must not contain blanks") String sku,
            @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }
}
