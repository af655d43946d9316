package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of a process, from /proc (Linux). */
final class ProcStats {

    private static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** User + system CPU time in milliseconds. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * CPU milliseconds per thread, summed by thread name with its digits taken out ("pool-3-thread-1" and
     * "pool-3-thread-2" count as "pool-#-thread-#"): where a process's CPU goes, JVM threads (GC, JIT) included.
     */
    static java.util.Map<String, Long> cpuMillisByThread(long pid) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            return java.util.Map.of();
        }
        return byName;
    }

    /**
     * The threads that used the most CPU between two {@link #cpuMillisByThread} samples, as "percent-of-a-core name",
     * over {@code millis} of wall time. Threads that ended in between are not counted (an idle process starts few).
     */
    static java.util.List<String> topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after,
                                             double millis, int n) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(e -> String.format(java.util.Locale.ROOT, "%.2f%% %s", e.getValue() * 100.0 / millis, e.getKey()))
                .toList();
    }

    /** Peak resident set size (VmHWM) in MiB. */
    static double peakRssMb(long pid) {
        return statusKb(pid, "VmHWM:") / 1024.0;
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
