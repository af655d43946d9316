package dev.ordersaga.inventory.ops;

import dev.ordersaga.inventory.domain.ReservationRepository;
import dev.ordersaga.outbox.ops.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** For the ops API: what inventory-app holds for the order, one reservation per order line. */
@ApplicationScoped
public class ReservationState implements OrderState {

    private final ReservationRepository reservations;

    public ReservationState(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    @Override
    @Transactional
    public Map<String, Object> describe(String orderId) {
        List<Map<String, Object>> held = reservations.forOrder(orderId).stream().map(r -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", r.sku());
            line.put("quantity", r.quantity());
            line.put("unitPrice", r.unitPrice() == null ? null : r.unitPrice().toPlainString());
            line.put("state", r.sold() ? "sold" : r.released() ? "released" : "held");
            return line;
        }).toList();
        return held.isEmpty() ? Map.of() : Map.of("reservations", held);
    }
}
