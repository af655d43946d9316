package dev.ordersaga.stack;

import java.util.Arrays;

/** For tests: reads a value out of a Prometheus text exposition (what /q/metrics answers). */
public final class Prometheus {

    private Prometheus() {
    }

    /** The sum of every sample of {@code name} whose labels contain all of {@code labels} (e.g. {@code outcome="duplicate"}). */
    public static double sum(String exposition, String name, String... labels) {
        return exposition.lines()
                .filter(l -> l.startsWith(name + "{") && Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(Prometheus::value)
                .sum();
    }

    /** The sample's value: the last field before an exemplar ({@code # {trace_id=...} 1.0 1796354613.403}), if any. */
    static double value(String sample) {
        int exemplar = sample.indexOf(" # ");
        String s = (exemplar < 0 ? sample : sample.substring(0, exemplar)).trim();
        return Double.parseDouble(s.substring(s.lastIndexOf(' ') + 1));
    }
}
