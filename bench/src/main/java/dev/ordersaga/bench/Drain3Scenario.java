package dev.ordersaga.bench;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Scenario 6: one relay drains a backlog from three sources at once, as it streams orders, inventory and coupons in
 * a cluster, under the JVM options it runs with (`make run`'s -Xmx; {@code BENCH_RELAY_OPTS} comes after them, so
 * {@code BENCH_RELAY_OPTS=-Xmx256m} tries another). Measures its peak RSS, its peak heap before and after GC pauses
 * (from its GC log, {@code target/bench/logs/outbox-relay-<scenario>-gc.log}; see {@link GcLog}), the drain rate, and
 * whether it got through without an OutOfMemoryError. The backlog is far larger than what the relay may hold (per
 * source Debezium's {@code max.queue.size.in.bytes}, plus the producer's {@code buffer.memory}).
 */
final class Drain3Scenario {

    private static final int SOURCES = 3;
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** The rows of a run: those of scenario 1, or large ones, where the bounds in bytes matter most. */
    enum Rows {
        /** {@code BENCH_ONLY=drain3}, and in the full bench: 3 x 100,000 events of about 500 bytes. */
        SMALL("drain3", "relay_drain3", 100_000, BenchDb::payload),
        /**
         * {@code BENCH_ONLY=drain3-large}: 3 x 20,000 events of about 10 kB. The padding is random: with repeated
         * characters lz4 would shrink what the producer's buffer holds to almost nothing.
         */
        LARGE("drain3-large", "relay_drain3_large", 20_000, seq -> payload(seq, 10_000));

        final String scenario;
        final String key;
        final int eventsPerSource;
        final LongFunction<String> payload;

        Rows(String scenario, String key, int eventsPerSource, LongFunction<String> payload) {
            this.scenario = scenario;
            this.key = key;
            this.eventsPerSource = eventsPerSource;
            this.payload = payload;
        }
    }

    private final StackEndpoints stack;
    private final Path logs;
    private final Cleanup cleanup;

    Drain3Scenario(StackEndpoints stack, Path out, Cleanup cleanup) {
        this.stack = stack;
        this.logs = out.resolve("logs");
        this.cleanup = cleanup;
    }

    void run(Rows rows, Map<String, Object> results, Map<String, Object> notes) throws Exception {
        String label = "6. " + rows.scenario + ": ";
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        List<BenchDb> dbs = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            dbs.add(new BenchDb(stack, "bench", cleanup));
            types.add("d3" + suffix + "s" + i);
            cleanup.topic(types.get(i) + ".events");
        }
        int n = SOURCES * rows.eventsPerSource;
        fill(dbs, types, rows, new Progress(label + "committing " + n + " events", n));

        AtomicLong received = new AtomicLong();
        AtomicLong firstTs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastTs = new AtomicLong();
        Path gcLog = logs.resolve("outbox-relay-" + rows.scenario + "-gc.log");
        Files.createDirectories(logs);
        Files.deleteIfExists(gcLog);
        String sources = String.join(",", dbs.stream().map(db -> db.name).toList());
        Progress progress = new Progress(label + "relaying from 3 sources", n);
        try (Topic topic = new Topic(stack.bootstrapServers(), types.stream().map(t -> t + ".events").toList(), r -> {
            received.incrementAndGet();
            firstTs.accumulateAndGet(r.timestamp(), Math::min);
            lastTs.accumulateAndGet(r.timestamp(), Math::max);
        })) {
            long spawned = System.nanoTime();
            try (AppProcess relay = Bench.start(Service.OUTBOX_RELAY, stack, Map.of("RELAY_DATABASES", sources), logs,
                    List.of(GcLog.option(gcLog)))) {
                long pid = relay.process().pid();
                long cpuAtReady = ProcStats.cpuMillis(pid);
                CpuSplit split = new CpuSplit(Map.of("outbox-relay", pid, "kafka (stack JVM)", Bench.stackPid));
                // a relay that dies or stops moving is a result here (an OutOfMemoryError is what this looks for):
                // one that ran out of memory may live on with its threads dead, so a minute without a record ends it
                long deadline = spawned + TimeUnit.MINUTES.toNanos(10);
                long seen = 0;
                long movedAt = System.nanoTime();
                double rss = 0;
                while (received.get() < n && relay.process().isAlive() && System.nanoTime() < deadline
                        && System.nanoTime() - movedAt < TimeUnit.MINUTES.toNanos(1)) {
                    if (received.get() > seen) {
                        seen = received.get();
                        movedAt = System.nanoTime();
                    }
                    progress.update(seen);
                    // the high-water mark goes with the process: read it while there is one
                    rss = Math.max(rss, ProcStats.peakRssMb(pid));
                    Thread.sleep(100);
                }
                rss = Math.max(rss, ProcStats.peakRssMb(pid));
                boolean completed = received.get() >= n;
                String outcome = completed ? "" : " NOT FINISHED (" + received.get() + " of " + n + ", relay "
                        + (relay.process().isAlive() ? "stuck" : "exited") + "; see " + relay.log() + ")";
                double cpuPer10k = (ProcStats.cpuMillis(pid) - cpuAtReady) * 10_000.0 / Math.max(1, received.get());
                notes.put(rows.key + "_cpu_cores", split.cores());
                // stopped first: the bench's cleanup then drops the slots of a relay no longer streaming
                relay.close();
                boolean oom = Files.readString(relay.log()).contains("OutOfMemoryError");
                GcLog gc = GcLog.read(gcLog);
                double seconds = (lastTs.get() - firstTs.get()) / 1000.0;
                double rate = received.get() / Math.max(seconds, 0.001);
                progress.done(String.format("%,.0f events/s, peak RSS %.0f MB, peak heap %.0f MB after GC (%.0f before) of %.0f MB,"
                        + " %s%s", rate, rss, gc.peakAfterGcMb(), gc.peakBeforeGcMb(), gc.maxHeapMb(),
                        oom ? "OutOfMemoryError" : "no OutOfMemoryError", outcome));

                results.put(rows.key + "_completed", completed);
                results.put(rows.key + "_oom", oom);
                results.put(rows.key + "_events", n);
                results.put(rows.key + "_payload_bytes", rows.payload.apply(0).length());
                results.put(rows.key + "_events_per_s", Math.round(rate));
                results.put(rows.key + "_peak_rss_mb", Math.round(rss));
                results.put(rows.key + "_peak_heap_mb", Math.round(gc.peakAfterGcMb()));
                results.put(rows.key + "_peak_heap_before_gc_mb", Math.round(gc.peakBeforeGcMb()));
                results.put(rows.key + "_xmx_mb", Math.round(gc.maxHeapMb()));
                results.put(rows.key + "_gc", gc.collector());
                results.put(rows.key + "_full_gcs", gc.fullPauses());
                results.put(rows.key + "_cpu_ms_per_10k_events", Math.round(cpuPer10k));
                notes.put(rows.key + "_gc_pauses", gc.pauses());
                notes.put(rows.key + "_seconds_first_to_last_ack", seconds);
                notes.put(rows.key + "_seconds_including_relay_start", (System.nanoTime() - spawned) / 1e9);
            }
        }
    }

    /** The three backlogs at once, one connection each (the rows are written before the relay starts). */
    private static void fill(List<BenchDb> dbs, List<String> types, Rows rows, Progress progress) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(SOURCES);
        try {
            List<AtomicLong> committed = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++) {
                AtomicLong c = new AtomicLong();
                committed.add(c);
                BenchDb db = dbs.get(i);
                String type = types.get(i);
                done.add(writers.submit(() -> {
                    db.fill(type, rows.eventsPerSource, 100, rows.payload, c::set);
                    return null;
                }));
            }
            while (!done.stream().allMatch(Future::isDone)) {
                progress.update(committed.stream().mapToLong(AtomicLong::get).sum());
                Thread.sleep(200);
            }
            for (Future<?> f : done) {
                f.get();
            }
            progress.done("");
        } finally {
            writers.shutdownNow();
        }
    }

    /** About {@code bytes} of JSON, in the shape of {@link BenchDb#payload}, padded with random letters. */
    static String payload(long seq, int bytes) {
        String head = "{\"version\":1,\"seq\":" + seq + ",\"orderId\":\"" + UUID.randomUUID() + "\",\"pad\":\"";
        StringBuilder b = new StringBuilder(bytes).append(head);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = head.length() + 2; i < bytes; i++) {
            b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return b.append("\"}").toString();
    }
}
