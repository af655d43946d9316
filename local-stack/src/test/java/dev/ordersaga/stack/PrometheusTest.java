package dev.ordersaga.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTest {

    @Test
    void sumsTheSamplesOfANameWithTheLabels() {
        String exposition = """
                # TYPE inbox_events_total counter
                inbox_events_total{consumer="a",outcome="applied"} 3.0
                inbox_events_total{consumer="b",outcome="applied"} 4.0
                inbox_events_total{consumer="a",outcome="duplicate"} 1.0
                inbox_events_total_other{consumer="a",outcome="applied"} 100.0
                """;
        assertThat(Prometheus.sum(exposition, "inbox_events_total", "outcome=\"applied\"")).isEqualTo(7.0);
        assertThat(Prometheus.sum(exposition, "inbox_events_total", "consumer=\"a\"")).isEqualTo(4.0);
    }

    /** With OpenTelemetry beside Micrometer, counters carry an exemplar: its value and timestamp are not the sample's. */
    @Test
    void readsTheValueBeforeAnExemplar() {
        String sample = "outbox_events_written_total{type=\"StockReserved\"} 2.0 # {span_id=\"b7\",trace_id=\"3f\"} 1.0 1796354613.403";
        assertThat(Prometheus.sum(sample, "outbox_events_written_total")).isEqualTo(2.0);
    }
}
