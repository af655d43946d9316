package dev.ordersaga.inventory.domain;

import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.outbox.RuleViolation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** Reservations all-or-nothing, releases exactly what an order held; each with its events, in one transaction. */
@ApplicationScoped
public class InventoryService {

    private static final int MAX_SKU_LENGTH = 64;

    private final StockRepository stock;
    private final ReservationRepository reservations;
    private final Outbox outbox;

    public InventoryService(StockRepository stock, ReservationRepository reservations, Outbox outbox) {
        this.stock = stock;
        this.reservations = reservations;
        this.outbox = outbox;
    }

    @Transactional
    public Stock setAvailable(String sku, int available) {
        if (available < 0) {
            throw new IllegalArgumentException("available must not be negative");
        }
        Stock s = stock.lockOrCreate(sku);
        s.setAvailable(available);
        Log.infof("stock of %s set to %d available (%d reserved)", sku, s.available(), s.reserved());
        return s;
    }

    public Optional<Stock> find(String sku) {
        return stock.findByIdOptional(sku);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(OrderPlaced order) {
        SortedMap<String, Integer> wanted = wanted(order);
        OrderHold hold = new OrderHold(order.orderId(), reservations.forOrder(order.orderId()));
        List<InventoryEvent> events = hold.reserve(wanted, stock.lockAll(wanted.keySet()));
        hold.added().forEach(reservations::persist);
        List<UUID> eventIds = outbox.addAll(events);
        Log.infof("order %s asked for %s: %s (events %s)", order.orderId(), wanted, outcome(events), eventIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(OrderCancelled order) {
        OrderHold hold = new OrderHold(order.orderId(), reservations.forOrder(order.orderId()));
        List<InventoryEvent> events = hold.release(stock.lockAll(hold.heldSkus()));
        List<UUID> eventIds = outbox.addAll(events);
        Log.infof("order %s cancelled: %s (events %s)", order.orderId(), events.isEmpty() ? "held nothing" : "released", eventIds);
    }

    /** One line per SKU, in SKU order (the order rows are locked in, so two orders never wait on each other). */
    private static SortedMap<String, Integer> wanted(OrderPlaced order) {
        SortedMap<String, Integer> wanted = new TreeMap<>();
        for (OrderEvent.Line line : order.items() == null ? List.<OrderEvent.Line>of() : order.items()) {
            if (line == null || !isSku(line.sku()) || line.quantity() < 1) {
                throw new RuleViolation("order " + order.orderId() + " has an invalid line: " + line);
            }
            wanted.merge(line.sku(), line.quantity(), Integer::sum);
        }
        if (wanted.isEmpty()) {
            throw new RuleViolation("order " + order.orderId() + " has no lines");
        }
        return wanted;
    }

    private static boolean isSku(String sku) {
        return sku != null && !sku.isBlank() && sku.length() <= MAX_SKU_LENGTH
                && sku.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String outcome(Collection<InventoryEvent> events) {
        return events.isEmpty() ? "holds stock already" : events.iterator().next().type();
    }
}
