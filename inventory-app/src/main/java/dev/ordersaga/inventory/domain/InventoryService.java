package dev.ordersaga.inventory.domain;

import dev.ordersaga.events.InventoryEvent.StockRejected;
import dev.ordersaga.events.InventoryEvent.StockReleased;
import dev.ordersaga.events.InventoryEvent.StockReserved;
import dev.ordersaga.events.OrderEvent;
import dev.ordersaga.outbox.Outbox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reservations all-or-nothing, releases exactly what an order held; each with its event, in one transaction. */
@ApplicationScoped
public class InventoryService {

    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    public static final String UNKNOWN_SKU = "UNKNOWN_SKU";

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
        // insert-if-absent, then lock: two first PUTs of one SKU both succeed, the later one wins
        stock.getEntityManager().createNativeQuery(
                        "INSERT INTO stock (sku, available, reserved, version) VALUES (?1, 0, 0, 0) ON CONFLICT (sku) DO NOTHING")
                .setParameter(1, sku).executeUpdate();
        Stock s = stock.lock(sku).orElseThrow();
        s.setAvailable(available);
        Log.infof("stock of %s set to %d available (%d reserved)", sku, s.available(), s.reserved());
        return s;
    }

    public Optional<Stock> find(String sku) {
        return stock.findByIdOptional(sku);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(OrderEvent.OrderPlaced order) {
        if (!reservations.forOrder(order.orderId()).isEmpty()) {
            Log.infof("order %s already holds stock: nothing to do", order.orderId());
            return;
        }
        // one line per SKU, locked in SKU order so that two orders never wait on each other
        Map<String, Integer> wanted = new TreeMap<>();
        for (OrderEvent.Line line : order.items() == null ? List.<OrderEvent.Line>of() : order.items()) {
            if (line == null || line.sku() == null || line.sku().isBlank() || line.quantity() < 1) {
                throw new IllegalArgumentException("order " + order.orderId() + " has an invalid line: " + line);
            }
            wanted.merge(line.sku(), line.quantity(), Integer::sum);
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("order " + order.orderId() + " has no lines");
        }
        List<Stock> locked = new ArrayList<>();
        for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            Optional<Stock> s = stock.lock(line.getKey());
            if (s.isEmpty()) {
                reject(order.orderId(), UNKNOWN_SKU, line.getKey());
                return;
            }
            if (!s.get().canReserve(line.getValue())) {
                reject(order.orderId(), OUT_OF_STOCK, line.getKey());
                return;
            }
            locked.add(s.get());
        }
        for (Stock s : locked) {
            int quantity = wanted.get(s.sku());
            s.reserve(quantity);
            reservations.persist(Reservation.hold(order.orderId(), s.sku(), quantity));
        }
        Log.infof("stock reserved for order %s: %s (event %s)", order.orderId(), wanted,
                outbox.add(new StockReserved(order.orderId())));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void release(String orderId) {
        List<Reservation> held = reservations.forOrder(orderId).stream().filter(r -> !r.released()).toList();
        if (held.isEmpty()) {
            Log.infof("order %s holds no stock: nothing to release", orderId);
            return;
        }
        held.stream().map(Reservation::sku).distinct().sorted().forEach(sku -> {
            Stock s = stock.lock(sku).orElseThrow();
            held.stream().filter(r -> r.sku().equals(sku)).forEach(r -> r.release(s));
        });
        Log.infof("stock released for order %s (event %s)", orderId, outbox.add(new StockReleased(orderId)));
    }

    private void reject(String orderId, String reason, String sku) {
        Log.infof("stock rejected for order %s: %s %s (event %s)", orderId, reason, sku,
                outbox.add(new StockRejected(orderId, reason, sku)));
    }
}
