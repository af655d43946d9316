package dev.ordersaga.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For failure tests: PostgreSQL gone as a crash or a lost host takes it (immediate stop: no checkpoint, every
 * connection cut), then back with exactly the command line it ran with (its {@code postmaster.opts}).
 */
public final class PostgresOutage {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final List<String> command;
    private final int port;

    private PostgresOutage(List<String> command, int port) {
        this.command = command;
        this.port = port;
    }

    /** Stops the server of {@code dataDir} at once; returns what it takes to start it again. */
    public static PostgresOutage stopImmediately(Path dataDir, int port) throws IOException, InterruptedException {
        String opts = Files.readString(dataDir.resolve("postmaster.opts")).trim();
        List<String> command = new ArrayList<>();
        command.add(opts.substring(0, opts.indexOf(' ')));
        Matcher m = QUOTED.matcher(opts);
        while (m.find()) {
            command.add(m.group(1));
        }
        // SIGQUIT is PostgreSQL's immediate shutdown (pg_ctl -m immediate, which refuses to run as root here)
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        Process quit = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start();
        if (!quit.waitFor(10, TimeUnit.SECONDS) || quit.exitValue() != 0) {
            throw new IllegalStateException("could not signal postmaster " + pid);
        }
        try {
            postmaster.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("postmaster " + pid + " did not stop within 60 s", e);
        }
        return new PostgresOutage(command, port);
    }

    /** Starts the server again; it accepts connections after its crash recovery ({@link #acceptsConnections}). */
    public void restart(Path log) throws IOException {
        List<String> start = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses root; zonky runs it in a user namespace of its own, and so do we
            start.addAll(List.of("unshare", "-U"));
        }
        start.addAll(command);
        Process server = new ProcessBuilder(start).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // this server is no child of the stack's: stop it with the stack, after what runs on it (SIGINT, PostgreSQL's fast shutdown)
        TestStack.stopWithTheStack(() -> {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // the JVM is going away; the next stack start reaps what is left
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** True once the server listens again; for a test to await with its own deadline. */
    public boolean acceptsConnections() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
