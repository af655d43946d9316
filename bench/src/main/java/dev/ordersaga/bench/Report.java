package dev.ordersaga.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown summary and an SVG chart of the latency distributions. */
final class Report {

    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9, 100};
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    private Report() {
    }

    static String markdown(Map<String, Object> r, Map<String, Latencies> commit, Map<String, Latencies> http, Map<String, Latencies> e2e) {
        StringBuilder b = new StringBuilder("# Benchmark results\n\n");
        b.append(String.format(Locale.ROOT, "Commit `%s`, %s cores, profile %s; fsync and synchronous_commit on, acks=all.%n%n",
                r.get("commit"), r.get("cores"), r.get("profile")));
        b.append("| figure | value |\n| --- | --- |\n");
        for (String k : List.of("relay_drain_events_per_s", "relay_cpu_ms_per_10k_events", "relay_peak_rss_mb",
                "relay_idle_cpu_pct", "saga_max_sustained_orders_per_s", "delayed_pending", "delayed_fire_rate_per_s",
                "delayed_lateness_ms", "delayed_fired_early", "delayed_order_app_cpu_ms_per_1000_fired", "delayed_idle_cpu",
                "delayed_post_orders_ms_at_50_per_s")) {
            b.append("| `").append(k).append("` | ").append(r.get(k)).append(" |\n");
        }
        // scenario 6 runs in one or two variants, or not at all with BENCH_ONLY: only the figures it wrote
        for (String variant : List.of("relay_drain3", "relay_drain3_large")) {
            for (String figure : List.of("events", "payload_bytes", "events_per_s", "peak_rss_mb", "peak_heap_mb",
                    "peak_heap_before_gc_mb", "xmx_mb", "gc", "full_gcs", "oom", "completed")) {
                String k = variant + "_" + figure;
                if (r.containsKey(k)) {
                    b.append("| `").append(k).append("` | ").append(r.get(k)).append(" |\n");
                }
            }
        }
        // BENCH_JFR=on: where the drain's CPU samples were (self time)
        if (r.get("notes") instanceof Map<?, ?> notes) {
            for (String who : List.of("relay", "peer_connect")) {
                for (String phase : List.of("drain_top_frames", "drain_top_callers", "idle_top_frames", "idle_top_callers")) {
                    if (notes.get(who + "_" + phase) instanceof List<?> frames) {
                        b.append("\n## JFR: ").append(who).append(" ").append(phase.replace('_', ' '))
                                .append(" (share of CPU samples)\n\n");
                        frames.forEach(f -> b.append("- `").append(f).append("`\n"));
                    }
                }
            }
        }
        table(b, "Commit to Kafka consumer (ms), by events/s", commit);
        table(b, "POST /orders response time (ms), by orders/s", http);
        table(b, "Order placement to terminal event (ms), by orders/s", e2e);
        b.append("\n![latency](latency.svg)\n");
        return b.toString();
    }

    /** The rate at which the relay and its peer are compared on latency. */
    static final String PEER_RATE = "500";

    /**
     * The relay against the peer of the same run: drain and the rest as relay / peer; above 1 the relay drains faster,
     * below 1 it waits, costs or holds less.
     */
    static Map<String, Object> ratiosVsPeer(Map<String, Object> r, Map<String, Latencies> relay, Map<String, Latencies> peer) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("relay_drain_ratio_vs_peer", ratio(r.get("relay_drain_events_per_s"), r.get("peer_connect_drain_events_per_s")));
        if (relay.containsKey(PEER_RATE) && peer.containsKey(PEER_RATE)) {
            m.put("commit_to_kafka_p50_ratio_vs_peer", ratio(relay.get(PEER_RATE).percentileMs(50), peer.get(PEER_RATE).percentileMs(50)));
            m.put("commit_to_kafka_p99_ratio_vs_peer", ratio(relay.get(PEER_RATE).percentileMs(99), peer.get(PEER_RATE).percentileMs(99)));
        }
        m.put("relay_cpu_ratio_vs_peer", ratio(r.get("relay_cpu_ms_per_10k_events"), r.get("peer_connect_cpu_ms_per_10k_events")));
        m.put("relay_peak_rss_ratio_vs_peer", ratio(r.get("relay_peak_rss_mb"), r.get("peer_connect_peak_rss_mb")));
        m.put("relay_idle_cpu_ratio_vs_peer", ratio(r.get("relay_idle_cpu_pct"), r.get("peer_connect_idle_cpu_pct")));
        return m;
    }

    private static Double ratio(Object ours, Object theirs) {
        if (!(ours instanceof Number a) || !(theirs instanceof Number b) || b.doubleValue() == 0) {
            return null;
        }
        return Math.round(a.doubleValue() / b.doubleValue() * 100) / 100.0;
    }

    /** The side-by-side table of the relay and its peer, when the run had one ({@code BENCH_PEERS=connect}). */
    static String peerTable(Map<String, Object> r, Map<String, Latencies> relay, Map<String, Latencies> peer) {
        if (!r.containsKey("peer_connect_drain_events_per_s")) {
            return "";
        }
        StringBuilder b = new StringBuilder("\n## The relay beside Kafka Connect + Debezium (same stack, data and run)\n\n"
                + "| | outbox-relay | Kafka Connect + Debezium, tuned | relay / peer |\n| --- | --- | --- | --- |\n");
        row(b, "drain (events/s)", r.get("relay_drain_events_per_s"), r.get("peer_connect_drain_events_per_s"),
                r.get("relay_drain_ratio_vs_peer"));
        if (relay.containsKey(PEER_RATE) && peer.containsKey(PEER_RATE)) {
            row(b, "commit to consumer at " + PEER_RATE + "/s, p50 (ms)", ms(relay.get(PEER_RATE).percentileMs(50)),
                    ms(peer.get(PEER_RATE).percentileMs(50)), r.get("commit_to_kafka_p50_ratio_vs_peer"));
            row(b, "commit to consumer at " + PEER_RATE + "/s, p99 (ms)", ms(relay.get(PEER_RATE).percentileMs(99)),
                    ms(peer.get(PEER_RATE).percentileMs(99)), r.get("commit_to_kafka_p99_ratio_vs_peer"));
        }
        row(b, "CPU per 10k events, drain (ms)", r.get("relay_cpu_ms_per_10k_events"), r.get("peer_connect_cpu_ms_per_10k_events"),
                r.get("relay_cpu_ratio_vs_peer"));
        row(b, "peak RSS, drain (MB)", r.get("relay_peak_rss_mb"), r.get("peer_connect_peak_rss_mb"), r.get("relay_peak_rss_ratio_vs_peer"));
        row(b, "idle CPU (% of a core)", r.get("relay_idle_cpu_pct"), r.get("peer_connect_idle_cpu_pct"),
                r.get("relay_idle_cpu_ratio_vs_peer"));
        return b.toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void row(StringBuilder b, String figure, Object relay, Object peer, Object ratio) {
        b.append("| ").append(figure).append(" | ").append(relay).append(" | ").append(peer).append(" | ").append(ratio).append(" |\n");
    }

    private static void table(StringBuilder b, String title, Map<String, Latencies> byRate) {
        b.append("\n## ").append(title).append("\n\n| rate | p50 | p90 | p99 | p99.9 | max | count |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        byRate.forEach((rate, l) -> {
            Map<String, Double> s = l.summary();
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f |%n", rate, s.get("p50"), s.get("p90"),
                    s.get("p99"), s.get("p999"), s.get("max"), s.get("count")));
        });
    }

    /** Percentile (x, log scale of 1/(1-p)) against milliseconds (y, log scale), one line per series. */
    static String svg(Map<String, Latencies> commit, Map<String, Latencies> e2e) {
        int w = 760;
        int h = 420;
        int left = 60;
        int top = 30;
        int plotW = w - left - 180;
        int plotH = h - top - 50;
        double maxMs = 1;
        for (Map<String, Latencies> m : List.of(commit, e2e)) {
            for (Latencies l : m.values()) {
                maxMs = Math.max(maxMs, l.percentileMs(100));
            }
        }
        double yMax = Math.log10(maxMs * 2);
        double yMin = Math.log10(0.5);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>%n", w, h));
        s.append("<rect width='100%' height='100%' fill='white'/>\n");
        s.append(String.format(Locale.ROOT, "<text x='%d' y='18' font-size='13'>Latency by percentile (log-log)</text>%n", left));
        for (double ms : new double[] {1, 10, 100, 1000, 10000}) {
            if (ms > maxMs * 2) {
                break;
            }
            double y = top + plotH - (Math.log10(ms) - yMin) / (yMax - yMin) * plotH;
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/><text x='5' y='%.1f'>%s ms</text>%n",
                    left, left + plotW, y, y, y + 4, ms >= 1000 ? (int) ms / 1000 + "k" : Integer.toString((int) ms)));
        }
        double xMax = Math.log10(1 / (1 - 0.9999));
        for (double p : PERCENTILES) {
            double x = left + x(p) / xMax * plotW;
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>p%s</text>%n", x, top + plotH + 18,
                    p == 100 ? "max" : (p == Math.floor(p) ? Integer.toString((int) p) : Double.toString(p))));
        }
        int series = 0;
        for (var group : List.of(Map.entry("commit→Kafka @", commit), Map.entry("saga e2e @", e2e))) {
            for (var e : group.getValue().entrySet()) {
                String color = COLORS[series % COLORS.length];
                StringBuilder pts = new StringBuilder();
                for (double p : PERCENTILES) {
                    double ms = Math.max(0.5, e.getValue().percentileMs(p));
                    double x = left + x(p) / xMax * plotW;
                    double y = top + plotH - (Math.log10(ms) - yMin) / (yMax - yMin) * plotH;
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                String dash = group.getValue() == e2e ? " stroke-dasharray='5,3'" : "";
                s.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2'%s points='%s'/>%n", color, dash, pts));
                int ly = top + 10 + series * 16;
                s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='%s' stroke-width='2'%s/>"
                        + "<text x='%d' y='%d'>%s%s/s</text>%n", left + plotW + 15, left + plotW + 35, ly, ly, color, dash,
                        left + plotW + 40, ly + 4, group.getKey(), e.getKey()));
                series++;
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static double x(double percentile) {
        double p = Math.min(percentile, 99.99) / 100.0;
        return Math.log10(1 / (1 - p));
    }
}
