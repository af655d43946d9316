package dev.ordersaga.inventory.domain;

/** Object mother for stock in tests. */
public final class Stocks {

    private Stocks() {
    }

    public static Stock of(int available) {
        return Stock.of("SKU-1", available);
    }

    /** {@code available} left for new orders after {@code reserved} units were held. */
    public static Stock holding(int available, int reserved) {
        Stock s = of(available + reserved);
        s.reserve(reserved);
        return s;
    }
}
