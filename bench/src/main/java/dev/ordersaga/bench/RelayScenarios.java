package dev.ordersaga.bench;

import dev.ordersaga.stack.AppProcess;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.StackEndpoints;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenarios 1, 2 and 4: the relay draining a backlog, commit-to-consumer latency at fixed rates, its cost. The same
 * scenarios measure a peer ({@code BENCH_PEERS=connect}: {@link ConnectPeer}) on the same stack and data.
 */
final class RelayScenarios implements AutoCloseable {

    /** What streams the outbox: the relay, or a peer; its figures are named with {@link #prefix}. */
    enum Subject {
        RELAY("relay", "outbox-relay"),
        CONNECT("peer_connect", "kafka-connect");

        final String prefix;
        final String process;

        Subject(String prefix, String process) {
            this.prefix = prefix;
            this.process = process;
        }

        AppProcess start(StackEndpoints stack, String database, Path logs) throws java.io.IOException {
            return this == RELAY ? Bench.start(Service.OUTBOX_RELAY, stack, Map.of("RELAY_DATABASES", database), logs)
                    : ConnectPeer.start(stack, database, logs);
        }
    }

    private static final int[] RATES = {100, 500, 2000};
    private static final int WRITERS = 8;
    /** Between the drain's end and the idle window. */
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(20);

    private final StackEndpoints stack;
    private final Path logs;
    private final Bench.Profile profile;
    private final Cleanup cleanup;
    private final Subject subject;
    private BenchDb db;
    private AppProcess relay;

    RelayScenarios(StackEndpoints stack, Path out, Bench.Profile profile, Cleanup cleanup, Subject subject) {
        this.stack = stack;
        this.subject = subject;
        this.cleanup = cleanup;
        this.logs = out.resolve("logs");
        this.profile = profile;
    }

    /** Commit N events with the relay stopped, start it, time until the last is acknowledged by Kafka. */
    void drain(Map<String, Object> results, Map<String, Object> notes) throws Exception {
        db = new BenchDb(stack, "bench", cleanup);
        String type = "drain" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        // the relay routes each aggregate type to <type>.events, a topic Kafka makes on the first record
        cleanup.topic(type + ".events");
        int n = profile.drainEvents;
        db.fill(type, n, 100, new Progress("1. " + subject.process + " drain: committing " + n + " events", n));
        System.out.println();

        AtomicLong received = new AtomicLong();
        AtomicLong firstTs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastTs = new AtomicLong();
        Progress progress = new Progress("1. " + subject.process + " drain: relaying", n);
        try (Topic topic = new Topic(stack.bootstrapServers(), type + ".events", r -> {
            received.incrementAndGet();
            firstTs.accumulateAndGet(r.timestamp(), Math::min);
            lastTs.accumulateAndGet(r.timestamp(), Math::max);
        })) {
            long spawned = System.nanoTime();
            if (subject == Subject.CONNECT) {
                cleanup.topic(ConnectPeer.heartbeatTopic(db.name));
            }
            relay = subject.start(stack, db.name, logs);
            long pid = relay.process().pid();
            long cpuAtReady = ProcStats.cpuMillis(pid);
            CpuSplit split = new CpuSplit(Map.of(subject.process, pid, "kafka (stack JVM)", Bench.stackPid));
            if (JfrProfile.enabled()) {
                JfrProfile.start(pid);
            }
            while (received.get() < n) {
                progress.update(received.get());
                Thread.sleep(100);
                if (System.nanoTime() - spawned > TimeUnit.MINUTES.toNanos(15)) {
                    throw new IllegalStateException("drain did not finish: " + received.get() + " of " + n);
                }
            }
            long cpuAtEnd = ProcStats.cpuMillis(pid);
            if (JfrProfile.enabled()) {
                Path jfr = JfrProfile.stop(pid, logs.resolve(subject.process + "-drain.jfr"));
                notes.put(subject.prefix + "_drain_top_frames", JfrProfile.topFrames(jfr, 15));
                notes.put(subject.prefix + "_drain_top_callers", JfrProfile.topCallers(jfr, 15));
            }
            notes.put(subject == Subject.RELAY ? "cpu_cores_during_drain" : subject.prefix + "_cpu_cores_during_drain", split.cores());
            double seconds = (lastTs.get() - firstTs.get()) / 1000.0;
            double rate = n / Math.max(seconds, 0.001);
            double cpuPer10k = (cpuAtEnd - cpuAtReady) * 10_000.0 / n;
            double rss = ProcStats.peakRssMb(pid);
            progress.done(String.format("%,.0f events/s, %.0f ms CPU per 10k, peak RSS %.0f MB", rate, cpuPer10k, rss));
            results.put(subject.prefix + "_drain_events_per_s", Math.round(rate));
            results.put(subject.prefix + "_cpu_ms_per_10k_events", Math.round(cpuPer10k));
            results.put(subject.prefix + "_peak_rss_mb", Math.round(rss));
            notes.put(subject.prefix + "_drain_events", n);
            notes.put(subject.prefix + "_drain_seconds_first_to_last_ack", seconds);
            notes.put(subject.prefix + "_drain_seconds_including_relay_start", (System.nanoTime() - spawned) / 1e9);

            // idle: after a settling pause (the drain's last GC and JIT work is not idle cost), measured with no
            // profiler attached; JFR, when on, records a window of its own afterwards
            Thread.sleep(IDLE_SETTLE.toMillis());
            Progress idle = new Progress("4. " + subject.process + " idle CPU", profile.idleWindow.toSeconds());
            Map<String, Long> threadsBefore = ProcStats.cpuMillisByThread(pid);
            long idleStart = ProcStats.cpuMillis(pid);
            long t0 = System.nanoTime();
            for (long s = 0; s < profile.idleWindow.toSeconds(); s++) {
                Thread.sleep(1000);
                idle.update(s + 1);
            }
            double idleMillis = (System.nanoTime() - t0) / 1e6;
            double idlePct = (ProcStats.cpuMillis(pid) - idleStart) * 100.0 / idleMillis;
            notes.put(subject.prefix + "_idle_cpu_by_thread",
                    ProcStats.topThreads(threadsBefore, ProcStats.cpuMillisByThread(pid), idleMillis, 10));
            idle.done(String.format("%.2f%% of one core", idlePct));
            if (JfrProfile.enabled()) {
                JfrProfile.start(pid);
                Thread.sleep(profile.idleWindow.toMillis());
                Path jfr = JfrProfile.stop(pid, logs.resolve(subject.process + "-idle.jfr"));
                notes.put(subject.prefix + "_idle_top_frames", JfrProfile.topFrames(jfr, 15));
                notes.put(subject.prefix + "_idle_top_callers", JfrProfile.topCallers(jfr, 15));
            }
            results.put(subject.prefix + "_idle_cpu_pct", Math.round(idlePct * 100) / 100.0);
        }
    }

    /** Open loop: a schedule of commits at a fixed rate; latency from commit returning to a consumer's receipt. */
    void commitLatency(Map<String, Latencies> byRate) throws Exception {
        String type = "lat" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        cleanup.topic(type + ".events");
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        try (Topic topic = new Topic(stack.bootstrapServers(), type + ".events",
                r -> receivedAt.put(new String(r.headers().lastHeader("id").value(), StandardCharsets.UTF_8), System.nanoTime()))) {
            runRate(type, 100, Duration.ofSeconds(3), committedAt, "2. warm-up");
            for (int rate : RATES) {
                Latencies l = new Latencies();
                committedAt.clear();
                receivedAt.clear();
                runRate(type, rate, profile.latencyStep, committedAt, "2. " + subject.process + ": commit-to-Kafka at " + rate + "/s");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (receivedAt.size() < committedAt.size() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                committedAt.forEach((k, t) -> {
                    Long got = receivedAt.get(k);
                    if (got != null) {
                        l.record(got - t);
                    }
                });
                byRate.put(Integer.toString(rate), l);
                System.out.printf("     %d/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d received)%n", rate,
                        l.percentileMs(50), l.percentileMs(99), l.percentileMs(100), receivedAt.size(), committedAt.size());
            }
        }
    }

    private void runRate(String type, int rate, Duration length, Map<String, Long> committedAt, String label)
            throws Exception {
        long total = rate * length.toSeconds();
        Progress progress = new Progress(label, total);
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(WRITERS);
        for (int i = 0; i < WRITERS; i++) {
            pool.add(db.connect());
        }
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        AtomicLong done = new AtomicLong();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long seq = i;
            writers.execute(() -> {
                Connection c = null;
                try {
                    c = pool.take();
                    String id = BenchDb.insert(c, type, "agg-" + (seq % 100), BenchDb.payload(seq)).toString();
                    c.commit();
                    committedAt.put(id, System.nanoTime());
                    done.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    if (c != null) {
                        pool.add(c);
                    }
                }
            });
            if (i % Math.max(1, rate / 10) == 0) {
                progress.update(done.get());
            }
        }
        writers.shutdown();
        writers.awaitTermination(5, TimeUnit.MINUTES);
        for (Connection c : pool) {
            c.close();
        }
        progress.done("");
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
