package dev.ordersaga.bench;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HDR histogram of microseconds, reported in milliseconds. */
final class Latencies {

    final Histogram micros = new Histogram(3_600_000_000L, 3);

    synchronized void record(long nanos) {
        micros.recordValue(Math.max(0, Math.min(nanos / 1000, micros.getHighestTrackableValue())));
    }

    synchronized Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", ms(micros.getValueAtPercentile(50)));
        m.put("p90", ms(micros.getValueAtPercentile(90)));
        m.put("p99", ms(micros.getValueAtPercentile(99)));
        m.put("p999", ms(micros.getValueAtPercentile(99.9)));
        m.put("max", ms(micros.getMaxValue()));
        m.put("count", (double) micros.getTotalCount());
        return m;
    }

    synchronized double percentileMs(double p) {
        return ms(micros.getValueAtPercentile(p));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
