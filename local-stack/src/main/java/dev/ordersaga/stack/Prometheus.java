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
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
