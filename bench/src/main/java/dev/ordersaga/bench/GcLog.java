package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's GC log says about its heap: the JVM started with {@link #option(Path)} writes it. Every pause logs
 * the heap used before and after it, so the peaks come from every collection rather than from samples. The peak
 * after a pause bounds the live data from above (an old generation not yet collected still holds dead objects).
 */
record GcLog(String collector, double maxHeapMb, double peakBeforeGcMb, double peakAfterGcMb, int pauses, int fullPauses) {

    private static final Pattern COLLECTOR = Pattern.compile("\\[gc\\s*] Using (\\S+)");
    private static final Pattern MAX_HEAP = Pattern.compile("Heap Max Capacity: (\\d+)([KMG])");
    // e.g. "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 210M->48M(384M) 5.123ms"
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause (\\w+).* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** The JVM option that writes the log this reads (the default decorations; the path must hold no colon). */
    static String option(Path file) {
        return "-Xlog:gc,gc+init:file=" + file;
    }

    static GcLog read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    static GcLog parse(List<String> lines) {
        String collector = "unknown";
        double maxHeap = 0;
        double before = 0;
        double after = 0;
        int pauses = 0;
        int full = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                pauses++;
                if (m.group(1).equals("Full")) {
                    full++;
                }
                before = Math.max(before, mb(m.group(2), m.group(3)));
                after = Math.max(after, mb(m.group(4), m.group(5)));
                continue;
            }
            m = COLLECTOR.matcher(line);
            if (m.find()) {
                collector = m.group(1);
                continue;
            }
            m = MAX_HEAP.matcher(line);
            if (m.find()) {
                maxHeap = mb(m.group(1), m.group(2));
            }
        }
        return new GcLog(collector, maxHeap, before, after, pauses, full);
    }

    private static double mb(String amount, String unit) {
        double v = Double.parseDouble(amount);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }
}
