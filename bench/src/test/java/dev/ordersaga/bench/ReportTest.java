package dev.ordersaga.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures the benchmark writes: percentiles in milliseconds, the summary and the chart. */
class ReportTest {

    @Test
    void latenciesReportPercentilesInMilliseconds() {
        Latencies l = new Latencies();
        for (int ms = 1; ms <= 100; ms++) {
            l.record(ms * 1_000_000L);
        }
        Map<String, Double> s = l.summary();
        assertThat(s.get("p50")).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.get("p99")).isCloseTo(99.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.get("max")).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.get("count")).isEqualTo(100.0);
        assertThat(s).containsOnlyKeys("p50", "p90", "p99", "p999", "max", "count");
    }

    @Test
    void theSummaryAndTheChartCarryEverySeries() {
        Map<String, Latencies> commit = new LinkedHashMap<>();
        Map<String, Latencies> e2e = new LinkedHashMap<>();
        for (String rate : new String[] {"100", "500"}) {
            Latencies l = new Latencies();
            l.record(5_000_000L);
            l.record(20_000_000L);
            commit.put(rate, l);
            e2e.put(rate, l);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("relay_drain_events_per_s", 12345L);
        results.put("commit", "abc");
        results.put("cores", 2);

        String md = Report.markdown(results, commit, e2e, e2e);
        assertThat(md).contains("`relay_drain_events_per_s` | 12345").contains("| 500 | ").contains("latency.svg");

        String svg = Report.svg(commit, e2e);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).hasSize(5);
    }

    @Test
    void theRelayIsSetBesideItsPeerAsRatios() {
        Map<String, Latencies> relay = new LinkedHashMap<>();
        Map<String, Latencies> peer = new LinkedHashMap<>();
        relay.put(Report.PEER_RATE, latencies(10, 20));
        peer.put(Report.PEER_RATE, latencies(20, 80));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("relay_drain_events_per_s", 30_000L);
        results.put("peer_connect_drain_events_per_s", 15_000L);
        results.put("relay_cpu_ms_per_10k_events", 500L);
        results.put("peer_connect_cpu_ms_per_10k_events", 1000L);
        results.put("relay_peak_rss_mb", 300L);

        Map<String, Object> ratios = Report.ratiosVsPeer(results, relay, peer);
        assertThat(ratios).containsEntry("relay_drain_ratio_vs_peer", 2.0).containsEntry("relay_cpu_ratio_vs_peer", 0.5)
                // the peer's RSS was not measured: no ratio rather than a made-up one
                .containsEntry("relay_peak_rss_ratio_vs_peer", null);
        assertThat((Double) ratios.get("commit_to_kafka_p50_ratio_vs_peer")).isLessThan(1.0);
        results.putAll(ratios);

        assertThat(Report.peerTable(results, relay, peer)).contains("| drain (events/s) | 30000 | 15000 | 2.0 |");
        assertThat(Report.peerTable(Map.of(), relay, peer)).isEmpty();
    }

    private static Latencies latencies(int... ms) {
        Latencies l = new Latencies();
        for (int v : ms) {
            l.record(v * 1_000_000L);
        }
        return l;
    }
}
