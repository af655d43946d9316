package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time per part of the system over a window: which process the cores went to. */
final class CpuSplit {

    private final Map<String, Long> pids;
    private final Map<String, Long> start;
    private final long startNanos;

    CpuSplit(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.start = sample();
        this.startNanos = System.nanoTime();
    }

    /** Cores used per part since the start (1.0 = one core busy all the time). */
    Map<String, Double> cores() {
        Map<String, Long> end = sample();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> m = new LinkedHashMap<>();
        end.forEach((k, v) -> m.put(k, Math.round((v - start.getOrDefault(k, 0L)) / 1000.0 / seconds * 100) / 100.0));
        return m;
    }

    /** CPU milliseconds per part since the start. */
    Map<String, Long> millis() {
        Map<String, Long> end = sample();
        Map<String, Long> m = new LinkedHashMap<>();
        end.forEach((k, v) -> m.put(k, v - start.getOrDefault(k, 0L)));
        return m;
    }

    private Map<String, Long> sample() {
        Map<String, Long> m = new LinkedHashMap<>();
        pids.forEach((name, pid) -> m.put(name, ProcStats.cpuMillis(pid)));
        m.put("postgres", postgresMillis());
        m.put("bench (load generator and consumers)", ProcStats.cpuMillis(ProcessHandle.current().pid()));
        return m;
    }

    private static long postgresMillis() {
        long total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(p.resolve("comm")).trim().equals("postgres")) {
                        total += Math.max(0, ProcStats.cpuMillis(Long.parseLong(p.getFileName().toString())));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }
}
