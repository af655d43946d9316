package dev.ordersaga.inventory.domain;

import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.InventoryEvent.PricedLine;
import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReleased;
import dev.ordersaga.events.InventoryEvent.StockReserved;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What one order holds across SKUs: reserved all or nothing, released exactly. Its transitions change the stock
 * rows they are given (locked by the caller) and return the events they cause.
 */
public final class OrderHold {

    private final String orderId;
    private final List<Reservation> reservations;
    private final List<Reservation> added = new ArrayList<>();
    private final boolean cancelled;

    /** {@code cancelled}: this service has seen the order's {@code OrderCancelled} already. */
    OrderHold(String orderId, List<Reservation> reservations, boolean cancelled) {
        this.orderId = orderId;
        this.reservations = List.copyOf(reservations);
        this.cancelled = cancelled;
    }

    /**
     * Holds every line, or none and says which SKU failed first. An order that holds stock already was placed here
     * before (the same order under a new event id): nothing changes. An order cancelled before it was placed here
     * holds nothing and is rejected.
     */
    public List<InventoryEvent> reserve(SortedMap<String, Integer> wanted, Map<String, Stock> stock) {
        if (cancelled) {
            return List.of(new StockRejected(orderId, StockRejected.Reason.ORDER_CANCELLED, wanted.firstKey()));
        }
        if (!reservations.isEmpty()) {
            return List.of();
        }
        for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            Stock s = stock.get(line.getKey());
            if (s == null) {
                return List.of(new StockRejected(orderId, StockRejected.Reason.UNKNOWN_SKU, line.getKey()));
            }
            if (!s.canReserve(line.getValue())) {
                return List.of(new StockRejected(orderId, StockRejected.Reason.OUT_OF_STOCK, line.getKey()));
            }
        }
        List<PricedLine> lines = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            Stock s = stock.get(sku);
            s.reserve(quantity);
            added.add(Reservation.hold(orderId, sku, quantity, s.price()));
            lines.add(new PricedLine(sku, quantity, s.price()));
        });
        return List.of(new StockReserved(orderId, lines));
    }

    /** Gives back what the order holds; an order that holds nothing (rejected, never placed here) changes nothing. */
    public List<InventoryEvent> release(Map<String, Stock> stock) {
        List<Reservation> held = held();
        if (held.isEmpty()) {
            return List.of();
        }
        held.forEach(r -> r.release(stock.get(r.sku())));
        return List.of(new StockReleased(orderId));
    }

    /** The order was paid: what it holds is sold. Nothing to publish: the sale is the order's news. */
    public void sell(Map<String, Stock> stock) {
        held().forEach(r -> r.sell(stock.get(r.sku())));
    }

    /** The SKUs of what the order holds, to lock before {@link #release}. */
    public List<String> heldSkus() {
        return held().stream().map(Reservation::sku).distinct().sorted().toList();
    }

    /** Reservations {@link #reserve} created, to persist. */
    List<Reservation> added() {
        return List.copyOf(added);
    }

    private List<Reservation> held() {
        return reservations.stream().filter(r -> !r.released() && !r.sold()).toList();
    }
}
