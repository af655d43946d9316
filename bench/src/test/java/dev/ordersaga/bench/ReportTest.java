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
}
