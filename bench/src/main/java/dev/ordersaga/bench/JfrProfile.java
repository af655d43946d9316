package dev.ordersaga.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code BENCH_JFR=on}: a Flight Recording of a process over one scenario (started and stopped with {@code jcmd}),
 * summed up as the methods its CPU samples were in (top frames, self time). JFR ships with the JDK, so the
 * profile needs nothing installed.
 */
final class JfrProfile {

    private static final String NAME = "bench";

    private JfrProfile() {
    }

    static boolean enabled() {
        return List.of("on", "1", "true").contains(System.getenv().getOrDefault("BENCH_JFR", "").toLowerCase(Locale.ROOT));
    }

    static void start(long pid) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile");
    }

    static Path stop(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
        return file;
    }

    /** The {@code n} methods most CPU samples were in, as "percent method". */
    static List<String> topFrames(Path recording, int n) throws IOException {
        return top(recording, n, false);
    }

    /**
     * As {@link #topFrames}, by the first frame outside the JDK ({@code java.}, {@code jdk.}, {@code sun.}): which
     * library's code (pgjdbc, Debezium, Kafka's producer, the relay) the CPU went to, JDK calls included.
     */
    static List<String> topCallers(Path recording, int n) throws IOException {
        return top(recording, n, true);
    }

    private static List<String> top(Path recording, int n, boolean outsideJdk) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || e.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            RecordedFrame top = outsideJdk ? frames.stream().filter(f -> !jdk(f.getMethod().getType().getName())).findFirst()
                    .orElse(null) : frames.get(0);
            self.merge(top == null ? "(JDK threads)" : top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1,
                    Integer::sum);
            samples++;
        }
        int total = samples;
        List<String> top = new ArrayList<>();
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(f -> top.add(String.format(Locale.ROOT, "%.1f%% %s", f.getValue() * 100.0 / total, f.getKey())));
        return top;
    }

    private static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.");
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
