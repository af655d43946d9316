package dev.ordersaga.bench;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.PidFile;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scenario 3: orders at fixed rates (open loop), HTTP response time and placement-to-terminal time. */
final class SagaScenario {

    private static final int[] RATES = {20, 50, 100, 150, 200, 300};
    /** The target rate: rates above it run only while each one before was sustained. */
    private static final int TARGET_RATE = 100;
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final StackEndpoints stack;
    private String token;
    private final Path logs;
    private final Bench.Profile profile;
    private final Path runningServices;

    /** {@code runningServices}: the pid folder of the services `make run` started, or null to start our own. */
    SagaScenario(StackEndpoints stack, Path out, Bench.Profile profile, Path runningServices) {
        this.stack = stack;
        this.logs = out.resolve("logs");
        this.profile = profile;
        this.runningServices = runningServices;
    }

    /** Returns the highest rate with placement-to-terminal p99 under one second and no errors. */
    int run(Map<String, Latencies> http, Map<String, Latencies> e2e, Map<String, Object> notes) throws Exception {
        Map<Service, AppProcess> apps = new EnumMap<>(Service.class);
        Map<Service, String> urls = new EnumMap<>(Service.class);
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        int sustained = 0;
        try {
            for (Service s : Service.START_ORDER) {
                if (runningServices == null) {
                    AppProcess app = Bench.start(s, stack, Map.of(), logs);
                    apps.put(s, app);
                    urls.put(s, app.url());
                    pids.put(s.module, app.process().pid());
                } else {
                    String port = System.getenv().getOrDefault(s.portVariable, Integer.toString(s.defaultPort));
                    urls.put(s, "http://127.0.0.1:" + port);
                    Path pidFile = runningServices.resolve(s.module + ".pid");
                    pids.put(s.module, PidFile.live(pidFile).orElseThrow(() -> new IllegalStateException(
                            s.module + " of `make run` is not running (" + pidFile + ")")).pid());
                }
            }
            pids.put("kafka (stack JVM)", Bench.stackPid);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // one token for the run, as a client would hold one: its verification is part of what is measured
            token = "Bearer " + stack.tokens().mint("bench", "customer", "stock-admin");
            String sku = "BENCH-" + UUID.randomUUID();
            send(client, HttpRequest.newBuilder(URI.create(urls.get(Service.INVENTORY_APP) + "/stock/" + sku))
                    .header("Content-Type", "application/json").header("Authorization", token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"available\": 1000000000}")).build());

            Map<String, Long> terminalAt = new ConcurrentHashMap<>();
            try (Topic orders = new Topic(stack.bootstrapServers(), "orders.events", r -> {
                var type = r.headers().lastHeader("eventType");
                String t = type == null ? "" : new String(type.value(), StandardCharsets.UTF_8);
                if (t.equals("OrderConfirmed") || t.equals("OrderCancelled")) {
                    terminalAt.putIfAbsent(r.key(), System.nanoTime());
                }
            })) {
                String url = urls.get(Service.ORDER_APP) + "/orders";
                String body = "{\"customerId\": \"bench\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": 1}]}";
                // the JIT of four fresh JVMs: measure steady state, not the first seconds of interpreted code
                placeAtRate(client, url, body, 20, Duration.ofSeconds(15), new Latencies(), new ConcurrentHashMap<>(), "3. warm-up");
                for (int i = 0; i < RATES.length; i++) {
                    int rate = RATES[i];
                    if (rate > TARGET_RATE && sustained != RATES[i - 1]) {
                        break; // above the target, a rate runs only while the one below it was sustained
                    }
                    Latencies h = new Latencies();
                    Latencies end = new Latencies();
                    Step step = step(client, url, body, rate, pids, terminalAt, h, end, "3. saga at " + rate + " orders/s");
                    notes.put("cpu_cores_during_saga_at_" + rate, step.cores());
                    notes.put("consumer_cpu_ms_per_order_at_" + rate, step.perOrder());
                    http.put(Integer.toString(rate), h);
                    e2e.put(Integer.toString(rate), end);
                    notes.put("saga_errors_at_" + rate, step.errors());
                    notes.put("saga_not_terminal_at_" + rate, step.notTerminal());
                    System.out.printf("     %d/s: HTTP p99 %.1f ms, to terminal p50 %.1f ms p99 %.1f ms, %d errors, %d not terminal%n",
                            rate, h.percentileMs(99), end.percentileMs(50), end.percentileMs(99), step.errors(), step.notTerminal());
                    if (step.errors() == 0 && step.notTerminal() == 0 && end.percentileMs(99) < 1000) {
                        sustained = rate;
                    }
                    if (rate == TARGET_RATE && JfrProfile.enabled()) {
                        // a step of its own, after the measured one: the figures above come without a profiler attached
                        long pid = pids.get(Service.ORDER_APP.module);
                        Latencies ph = new Latencies();
                        Latencies pe = new Latencies();
                        JfrProfile.start(pid);
                        Step profiled = step(client, url, body, rate, pids, terminalAt, ph, pe, "3. saga at " + rate + "/s, order-app under JFR");
                        Path jfr = JfrProfile.stop(pid, logs.resolve("order-app-saga-" + rate + ".jfr"));
                        notes.put("order_app_saga_" + rate + "_jfr_step", Map.of("http_p99_ms", ph.percentileMs(99),
                                "terminal_p99_ms", pe.percentileMs(99), "not_terminal", profiled.notTerminal(),
                                "cpu_cores", profiled.cores()));
                        notes.put("order_app_saga_" + rate + "_top_frames", JfrProfile.topFrames(jfr, 15));
                        notes.put("order_app_saga_" + rate + "_top_callers", JfrProfile.topCallers(jfr, 15));
                    }
                }
            }
        } finally {
            List<AppProcess> reversed = new ArrayList<>(apps.values());
            java.util.Collections.reverse(reversed);
            reversed.forEach(AppProcess::close);
        }
        return sustained;
    }

    /** What one step at a fixed rate measured, besides its latencies. */
    private record Step(long errors, long notTerminal, Map<String, Double> cores, Map<String, Double> perOrder) {
    }

    /** Places orders at {@code rate} for the profile's step length, then waits (30 s at most) for them to end. */
    private Step step(HttpClient client, String url, String body, int rate, Map<String, Long> pids,
                      Map<String, Long> terminalAt, Latencies h, Latencies end, String label) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        CpuSplit split = new CpuSplit(pids);
        long errors = placeAtRate(client, url, body, rate, profile.sagaStep, h, sentAt, label);
        Map<String, Double> cores = split.cores();
        // what each consumer app spends per order (its consumers apply 2-3 events of every order)
        Map<String, Long> cpu = split.millis();
        Map<String, Double> perOrder = new java.util.LinkedHashMap<>();
        for (Service s : List.of(Service.ORDER_APP, Service.INVENTORY_APP, Service.COUPON_APP)) {
            perOrder.put(s.module, Math.round(cpu.getOrDefault(s.module, 0L) * 100.0 / Math.max(1, sentAt.size())) / 100.0);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!terminalAt.keySet().containsAll(sentAt.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long notTerminal = 0;
        for (var e : sentAt.entrySet()) {
            Long t = terminalAt.get(e.getKey());
            if (t == null) {
                notTerminal++;
            } else {
                end.record(t - e.getValue());
            }
        }
        return new Step(errors, notTerminal, cores, perOrder);
    }

    /** Open loop: requests leave on schedule whether or not earlier ones answered. Returns the error count. */
    private long placeAtRate(HttpClient client, String url, String body, int rate, Duration length, Latencies http,
                                    Map<String, Long> sentAt, String label) throws Exception {
        long total = rate * length.toSeconds();
        Progress progress = new Progress(label, total);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sent = System.nanoTime();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                long now = System.nanoTime();
                done.incrementAndGet();
                if (err != null || resp.statusCode() != 202) {
                    errors.incrementAndGet();
                    return;
                }
                http.record(now - sent);
                Matcher m = ID.matcher(resp.body());
                if (m.find()) {
                    sentAt.put(m.group(1), sent);
                } else {
                    errors.incrementAndGet();
                }
            }));
            progress.update(done.get());
        }
        for (var f : inFlight) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted in errors
            }
        }
        progress.done("");
        return errors.get();
    }

    private static void send(HttpClient client, HttpRequest req) throws Exception {
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
