package dev.ordersaga.inventory.domain;

import dev.ordersaga.events.InventoryEvent;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.events.OrderEvent.OrderCancelled;
import dev.ordersaga.events.OrderEvent.OrderPaid;
import dev.ordersaga.events.OrderEvent.OrderPlaced;
import dev.ordersaga.outbox.Cancellations;
import dev.ordersaga.outbox.Outbox;
import dev.ordersaga.outbox.RuleViolation;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Instant;
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
    private final Cancellations cancelled;
    private final Outbox outbox;

    public InventoryService(StockRepository stock, ReservationRepository reservations, Cancellations cancelled,
                            Outbox outbox) {
        this.stock = stock;
        this.reservations = reservations;
        this.cancelled = cancelled;
        this.outbox = outbox;
    }

    /** Stock after a write, and whether the write created the SKU. */
    public record Written(Stock stock, boolean created) {
    }

    /**
     * Sets what new orders can reserve and, if given, at what unit price; without one the price stays (0 when new).
     * With {@code expectedVersion} the write happens only if the stock is still at that version (it exists and
     * nothing, an order's reservation included, changed it since): otherwise {@link StockChanged}.
     */
    @Transactional
    public Written setAvailable(String sku, int available, BigDecimal price, java.util.OptionalLong expectedVersion) {
        if (available < 0) {
            throw new IllegalArgumentException("available must not be negative");
        }
        StockRepository.Locked locked = stock.lockOrCreate(sku);
        Stock s = locked.stock();
        if (expectedVersion.isPresent() && (locked.created() || s.version() != expectedVersion.getAsLong())) {
            throw new StockChanged(sku);
        }
        s.setAvailable(available);
        if (price != null) {
            s.setPrice(price);
        }
        Log.infof("stock of %s set to %d available at %s (%d reserved)%s", sku, s.available(), s.price(), s.reserved(),
                locked.created() ? ", new SKU" : "");
        return new Written(s, locked.created());
    }

    public Optional<Stock> find(String sku) {
        return stock.findByIdOptional(sku);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(OrderPlaced order) {
        SortedMap<String, Integer> wanted = wanted(order);
        OrderHold hold = new OrderHold(order.orderId(), reservations.forOrder(order.orderId()),
                cancelled.isCancelled(order.orderId()));
        List<InventoryEvent> events = hold.reserve(wanted, stock.lockAll(wanted.keySet()));
        hold.added().forEach(reservations::persist);
        List<UUID> eventIds = outbox.addAll(events);
        Log.infof("order %s asked for %s: %s (events %s)", order.orderId(), wanted, outcome(events), eventIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(OrderCancelled order) {
        cancelled.remember(order.orderId(), Instant.now());
        OrderHold hold = new OrderHold(order.orderId(), reservations.forOrder(order.orderId()), true);
        List<InventoryEvent> events = hold.release(stock.lockAll(hold.heldSkus()));
        List<UUID> eventIds = outbox.addAll(events);
        Log.infof("order %s cancelled: %s (events %s)", order.orderId(), events.isEmpty() ? "held nothing" : "released", eventIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void sell(OrderPaid order) {
        OrderHold hold = new OrderHold(order.orderId(), reservations.forOrder(order.orderId()), false);
        List<String> skus = hold.heldSkus();
        hold.sell(stock.lockAll(skus));
        Log.infof("order %s paid: %s", order.orderId(), skus.isEmpty() ? "held nothing to sell" : "sold " + skus);
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
