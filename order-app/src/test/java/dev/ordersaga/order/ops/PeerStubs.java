package dev.ordersaga.order.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Two stand-ins for the other services, as the console meets them: "inventory-app" answers the ops API with the
 * shapes the services' ops API has (one order's events, one parked event, a replay), and "coupon-app" accepts
 * connections but never answers, so the console must give up on it in time. For the order {@link #STALLED_ORDER}
 * "inventory-app" sends its headers and then stalls the body; a replay with the reason {@link #SLOW_REASON} takes
 * longer than a lookup may. order-app's own ops API is whatever this build serves. {@code GET /recorded} tells a test what the stand-in was sent.
 */
public class PeerStubs implements QuarkusTestResourceLifecycleManager {

    public static final String STUB_URL = "test.peers.inventory-app.url";
    public static final String STALLED_ORDER = "stalled-body";
    public static final String SLOW_REASON = "slow";

    private final CountDownLatch stopped = new CountDownLatch(1);
    private ExecutorService workers;

    private HttpServer inventory;
    private ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Set<String> replayed = ConcurrentHashMap.newKeySet();
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    /** The ids the stand-in gives the events of an order: stable, so that a test can name them. */
    public static String eventId(String orderId, String what) {
        return UUID.nameUUIDFromBytes((what + ":" + orderId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public Map<String, String> start() {
        try {
            inventory = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            inventory.createContext("/", this::serve);
            // a stalled answer must not hold up the others
            workers = Executors.newCachedThreadPool();
            inventory.setExecutor(workers);
            inventory.start();
            silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-coupon-app");
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "http://127.0.0.1:" + inventory.getAddress().getPort();
        return Map.of("ops.services.inventory-app.url", url,
                "ops.services.coupon-app.url", "http://127.0.0.1:" + silent.getLocalPort(),
                "ops.services.timeout", "1s",
                "ops.services.action-timeout", "3s",
                STUB_URL, url);
    }

    @Override
    public void stop() {
        stopped.countDown();
        inventory.stop(0);
        workers.shutdownNow();
        try {
            silent.close();
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing test sockets
        }
    }

    private void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (path.equals("/recorded")) {
            StringBuilder b = new StringBuilder("{");
            recorded.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
            reply(x, 200, b.append('}').toString());
            return;
        }
        if (auth == null || !auth.startsWith("Bearer ")) {
            reply(x, 401, "{\"title\":\"Unauthorized\",\"status\":401}");
            return;
        }
        recorded.put("authorization", auth);
        recorded.put("lastPath", path + (query.isEmpty() ? "" : "?" + query));
        if (x.getRequestMethod().equals("GET") && path.equals("/ops/orders/" + STALLED_ORDER)) {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, 1000);
            x.getResponseBody().write("{\"service\":".getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        } else if (x.getRequestMethod().equals("GET") && path.startsWith("/ops/orders/")) {
            reply(x, 200, order(path.substring("/ops/orders/".length())));
        } else if (x.getRequestMethod().equals("GET") && path.equals("/ops/audit")) {
            String orderId = query.startsWith("orderId=") ? query.substring("orderId=".length()) : null;
            reply(x, 200, "[" + String.join(",", replayed.stream().filter(o -> orderId == null || o.equals(orderId))
                    .map(PeerStubs::audit).toList()) + "]");
        } else if (x.getRequestMethod().equals("GET") && path.equals("/ops/parked")) {
            reply(x, 200, "[]");
        } else if (x.getRequestMethod().equals("GET") && path.equals("/ops/backlog")) {
            reply(x, 200, "{\"service\":\"inventory-app\",\"relay\":{\"slot\":\"outbox_inventory\",\"lagBytes\":0,"
                    + "\"retainedBytes\":2048,\"active\":true,\"oldestUnpublishedAgeSeconds\":null},"
                    + "\"parked\":{\"inventory-app\":1},\"duplicates24h\":{\"inventory-app\":3}}");
        } else if (x.getRequestMethod().equals("POST") && path.startsWith("/ops/parked/inventory-app/") && path.endsWith("/replay")) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            recorded.put("body", body);
            if (body.contains("\"" + SLOW_REASON + "\"")) {
                try {
                    // longer than a lookup may take (1 s here), shorter than an action may (3 s)
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String eventId = path.split("/")[4];
            String orderId = recorded.getOrDefault("order:" + eventId, "");
            replayed.add(orderId);
            reply(x, 200, "{\"action\":\"replay\",\"consumer\":\"inventory-app\",\"eventId\":\"" + eventId + "\",\"orderId\":\""
                    + orderId + "\",\"outcome\":\"replayed 1 event\",\"replayed\":[\"" + eventId + "\"],\"stillParked\":[]}");
        } else {
            reply(x, 404, "{\"title\":\"Not Found\",\"status\":404}");
        }
    }

    private String order(String orderId) {
        String placed = eventId(orderId, "placed");
        String reserved = eventId(orderId, "reserved");
        String cancelled = eventId(orderId, "cancelled");
        recorded.put("order:" + cancelled, orderId);
        boolean done = replayed.contains(orderId);
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        return "{\"service\":\"inventory-app\",\"state\":{\"reservations\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"released\":" + done + "}]},"
                + "\"written\":[{\"eventId\":\"" + reserved + "\",\"type\":\"StockReserved\",\"aggregateType\":\"inventory\",\"orderId\":\""
                + orderId + "\",\"writtenAt\":\"2026-12-04T01:00:02.000Z\",\"traceparent\":\"" + trace + "\",\"published\":true}],"
                + "\"consumed\":[{\"consumer\":\"inventory-app\",\"eventId\":\"" + placed + "\",\"type\":\"OrderPlaced\",\"orderId\":\""
                + orderId + "\",\"topic\":\"orders.events\",\"partition\":0,\"offset\":7,\"publishedAt\":\"2026-12-04T01:00:00.500Z\","
                + "\"outcome\":\"applied\",\"at\":\"2026-12-04T01:00:01.000Z\",\"traceparent\":\"" + trace + "\",\"caused\":[\"" + reserved + "\"]}"
                + (done ? ",{\"consumer\":\"inventory-app\",\"eventId\":\"" + cancelled + "\",\"type\":\"OrderCancelled\",\"orderId\":\""
                + orderId + "\",\"topic\":\"orders.events\",\"partition\":0,\"offset\":9,\"publishedAt\":\"2026-12-04T01:00:30.000Z\","
                + "\"outcome\":\"replayed\",\"at\":\"2026-12-04T01:05:00.000Z\",\"traceparent\":null,\"caused\":[]}" : "") + "],"
                + "\"parked\":[{\"id\":1,\"consumer\":\"inventory-app\",\"eventId\":\"" + cancelled + "\",\"type\":\"OrderCancelled\",\"orderId\":\""
                + orderId + "\",\"topic\":\"orders.events\",\"partition\":0,\"offset\":9,\"payload\":\"{}\",\"reason\":\"check violation: stand-in\","
                + "\"waitingBehind\":null,\"parkedAt\":\"2026-12-04T01:00:31.000Z\",\"status\":\"" + (done ? "replayed" : "parked")
                + "\",\"resolvedAt\":" + (done ? "\"2026-12-04T01:05:00.000Z\"" : "null") + "}]}";
    }

    private static String audit(String orderId) {
        return "{\"at\":\"2026-12-04T01:05:00.000Z\",\"actor\":\"ops-1\",\"action\":\"replay\",\"consumer\":\"inventory-app\",\"eventId\":\""
                + eventId(orderId, "cancelled") + "\",\"orderId\":\"" + orderId + "\",\"reason\":\"stand-in fixed\",\"outcome\":\"replayed 1 event\"}";
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
