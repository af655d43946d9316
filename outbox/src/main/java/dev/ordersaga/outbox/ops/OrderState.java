package dev.ordersaga.outbox.ops;

import java.util.Map;

/**
 * What this service holds for an order now, for {@code GET /ops/orders/{orderId}}: one small read-only bean per app.
 * An empty map when it holds nothing for the order.
 */
public interface OrderState {

    Map<String, Object> describe(String orderId);
}
