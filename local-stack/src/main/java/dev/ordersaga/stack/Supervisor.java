package dev.ordersaga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one service of `make run` running. A process that exits on its own is started again by the same launcher (so
 * on the same port, with the same environment) after a backoff that doubles from {@code initial} up to {@code max},
 * and starts over from {@code initial} once a process has stayed up for {@code stable}. Each restart is one line on
 * standard output and is counted in {@code counts}, a properties file of restarts per service. Once
 * {@link #stopRestarting()} or {@link #close()} has been called, nothing is started again.
 */
final class Supervisor implements AutoCloseable {

    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);

    /** The supervisors of one stack share the counts file. */
    private static final Object COUNTS = new Object();

    private final String name;
    private final Callable<AppProcess> launcher;
    private final Path counts;
    private final Duration initial;
    private final Duration max;
    private final Duration stable;

    // guarded by this
    private AppProcess current;
    private boolean stopping;
    private int restarts;
    private Duration next;
    private Thread watcher;
    private final List<Duration> backoffs = new ArrayList<>();

    Supervisor(String name, Callable<AppProcess> launcher, Path counts) {
        this(name, launcher, counts, INITIAL_BACKOFF, MAX_BACKOFF, STABLE);
    }

    Supervisor(String name, Callable<AppProcess> launcher, Path counts, Duration initial, Duration max, Duration stable) {
        this.name = name;
        this.launcher = launcher;
        this.counts = counts;
        this.initial = initial;
        this.max = max;
        this.stable = stable;
        this.next = initial;
    }

    /**
     * Starts the first process. Supervision begins with {@link #watch()}: a service that cannot start the first time
     * is a failed `make run`, not something to retry.
     */
    synchronized AppProcess start() throws Exception {
        if (stopping) {
            throw new IllegalStateException(name + " is stopping");
        }
        current = launcher.call();
        return current;
    }

    synchronized void watch() {
        if (stopping || watcher != null) {
            return;
        }
        writeCount();
        watcher = new Thread(this::supervise, "supervisor-" + name);
        watcher.setDaemon(true);
        watcher.start();
    }

    synchronized AppProcess current() {
        return current;
    }

    synchronized int restarts() {
        return restarts;
    }

    /** The delays waited before each restart so far. */
    synchronized List<Duration> backoffs() {
        return List.copyOf(backoffs);
    }

    synchronized boolean watching() {
        return watcher != null && watcher.isAlive();
    }

    /**
     * From now on an exit is final. The stack calls this on every service before it stops the first one: a Ctrl-C
     * signals the whole process group, so a service may exit before the stack comes to stop it.
     */
    synchronized void stopRestarting() {
        stopping = true;
        notifyAll();
    }

    /** Stops restarting, then stops the process (SIGTERM, then SIGKILL after 20 s) and waits for the watcher to end. */
    @Override
    public void close() {
        AppProcess app;
        Thread w;
        synchronized (this) {
            stopRestarting();
            app = current;
            w = watcher;
        }
        if (app != null) {
            app.close();
        }
        if (w != null) {
            try {
                w.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void supervise() {
        try {
            AppProcess app = current();
            Instant started = Instant.now();
            while (app != null) {
                int status = app.process().waitFor();
                Duration up = Duration.between(started, Instant.now());
                Duration delay;
                synchronized (this) {
                    if (stopping) {
                        return;
                    }
                    if (up.compareTo(stable) >= 0) {
                        next = initial;
                    }
                    delay = grow();
                }
                // the process is gone: its pid file goes too, and the next process writes its own
                app.close();
                System.out.println("[local-stack] " + name + " exited with status " + status + " after " + seconds(up)
                        + "; restart " + (restarts() + 1) + " in " + seconds(delay) + " (log: " + app.log() + ")");
                app = restartAfter(delay);
                started = Instant.now();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits out the backoff, then starts the next process; null once stopping. A failed start is retried the same way. */
    private synchronized AppProcess restartAfter(Duration delay) throws InterruptedException {
        while (true) {
            long deadline = System.nanoTime() + delay.toNanos();
            for (long left = delay.toNanos(); !stopping && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (stopping) {
                return null;
            }
            try {
                // under the lock: close() either stops the process started here or finds stopping set before it starts
                current = launcher.call();
                restarts++;
                writeCount();
                return current;
            } catch (Exception e) {
                delay = grow();
                System.out.println("[local-stack] " + name + " could not be started again (" + e + "); next try in "
                        + seconds(delay));
            }
        }
    }

    /** The delay to wait now; the next one is twice as long, up to {@code max}. */
    private Duration grow() {
        Duration delay = next;
        backoffs.add(delay);
        next = delay.multipliedBy(2).compareTo(max) > 0 ? max : delay.multipliedBy(2);
        return delay;
    }

    /** Read, change, write whole: an operator or a test may read the file at any moment. */
    private void writeCount() {
        synchronized (COUNTS) {
            try {
                Properties p = new Properties();
                if (Files.exists(counts)) {
                    try (InputStream in = Files.newInputStream(counts)) {
                        p.load(in);
                    }
                }
                p.setProperty(name, Integer.toString(restarts));
                Files.createDirectories(counts.toAbsolutePath().getParent());
                Path tmp = counts.resolveSibling(counts.getFileName() + ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "restarts per service since `make run` started (dev.ordersaga.stack.Supervisor)");
                }
                Files.move(tmp, counts, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                System.err.println("[local-stack] could not write " + counts + ": " + e);
            }
        }
    }

    private static String seconds(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        return d.toMillis() < 10_000 ? String.format("%.1f s", d.toMillis() / 1000.0) : d.toSeconds() + " s";
    }
}
