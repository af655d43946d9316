package dev.ordersaga.system;

import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TestTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos suite's clients: orders at a steady rate over HTTP, for a few SKUs with less stock than is asked for,
 * half of them with a coupon that two orders compete for. A client whose request fails (the service is down, a
 * timeout) sends it again with the same Idempotency-Key until it is answered, as a real client would, so every
 * order the system accepted is known here, even one whose answer was lost.
 */
final class ChaosLoad implements AutoCloseable {

    /** One accepted order: what it asked for, and when it was answered. */
    record Placed(String id, String sku, int quantity, String coupon, Instant at) {
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration CLIENT_PATIENCE = Duration.ofMinutes(3);

    final String tag;
    final Map<String, Integer> initialStock = new LinkedHashMap<>();
    final List<String> coupons = new ArrayList<>();
    final List<Placed> placed = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    private final RunningSystem system;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String customer = TestTokens.bearer("chaos", "customer");
    private final String admin = TestTokens.bearer("chaos-admin", "stock-admin", "coupon-admin");
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService clients = Executors.newFixedThreadPool(32);
    private final Map<Integer, Boolean> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /** Creates the SKUs and coupons of one scenario (names tagged with it), through the services' APIs. */
    ChaosLoad(RunningSystem system, String tag, int skus, int stockPerSku, int couponCount) throws Exception {
        this.system = system;
        this.tag = tag + "-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < skus; i++) {
            String sku = "CHAOS-" + this.tag + "-" + i;
            expect(send(HttpRequest.newBuilder(uri(Service.INVENTORY_APP, "/stock/" + sku)).header("Authorization", admin)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"available\": " + stockPerSku + ", \"price\": 2.50}"))), 201);
            initialStock.put(sku, stockPerSku);
        }
        for (int i = 0; i < couponCount; i++) {
            String code = "CHAOS-" + this.tag + "-C" + i;
            expect(send(HttpRequest.newBuilder(uri(Service.COUPON_APP, "/coupons")).header("Authorization", admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"code\": \"" + code + "\", \"discountPercent\": 10}"))), 201);
            coupons.add(code);
        }
    }

    /** Places {@code perSecond} orders a second until {@link #stop} (none for 0). */
    ChaosLoad start(int perSecond) {
        if (perSecond <= 0) {
            return this;
        }
        pacer.scheduleAtFixedRate(() -> {
            int n = sequence.getAndIncrement();
            inFlight.put(n, true);
            clients.execute(() -> {
                try {
                    placeOne(n);
                } finally {
                    inFlight.remove(n);
                }
            });
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return this;
    }

    /** Stops placing and waits until every client has its answer (bounded by the clients' patience). */
    void stop() throws InterruptedException {
        pacer.shutdownNow();
        pacer.awaitTermination(5, TimeUnit.SECONDS);
        Instant deadline = Instant.now().plus(CLIENT_PATIENCE).plusSeconds(10);
        while (!inFlight.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        if (!inFlight.isEmpty()) {
            throw new IllegalStateException(inFlight.size() + " order requests still unanswered after " + CLIENT_PATIENCE);
        }
    }

    int offered() {
        return sequence.get();
    }

    private void placeOne(int n) {
        List<String> skus = new ArrayList<>(initialStock.keySet());
        String sku = skus.get(n % skus.size());
        int quantity = 1 + n % 3;
        // every other order has a coupon; each coupon is wanted by two orders
        String coupon = n % 2 == 0 && !coupons.isEmpty() ? coupons.get((n / 4) % coupons.size()) : null;
        String body = "{\"items\": [{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]"
                + (coupon == null ? "" : ", \"couponCode\": \"" + coupon + "\"") + "}";
        String key = tag + "-" + n;
        Instant giveUp = Instant.now().plus(CLIENT_PATIENCE);
        while (Instant.now().isBefore(giveUp)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(Service.ORDER_APP, "/orders"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", customer)
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 201 || r.statusCode() == 202) {
                    Matcher m = ID.matcher(r.body());
                    if (!m.find()) {
                        throw new IllegalStateException("an accepted order without an id: " + r.body());
                    }
                    placed.add(new Placed(m.group(1), sku, quantity, coupon, Instant.now()));
                    return;
                }
                if (r.statusCode() < 500) {
                    // a 4xx is the client's fault and this client sends valid orders: a test failure, made visible
                    refused.incrementAndGet();
                    System.err.println("[chaos] order " + key + " refused with " + r.statusCode() + ": " + r.body());
                    return;
                }
            } catch (IOException e) {
                // the service is down or restarting: ask again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        refused.incrementAndGet();
        System.err.println("[chaos] order " + key + " never answered within " + CLIENT_PATIENCE);
    }

    private URI uri(Service s, String path) {
        return URI.create(system.url(s) + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        clients.shutdownNow();
    }
}
