package dev.ordersaga.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    private final Path dataDir;
    private final List<String> command;
    private final int port;

    private PostgresOutage(Path dataDir, List<String> command, int port) {
        this.dataDir = dataDir;
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
        Path pgCtl = Path.of(command.get(0)).resolveSibling("pg_ctl");
        Process stop = new ProcessBuilder(pgCtl.toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60", "stop")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!stop.waitFor(90, TimeUnit.SECONDS) || stop.exitValue() != 0) {
            throw new IllegalStateException("pg_ctl stop failed for " + dataDir);
        }
        return new PostgresOutage(dataDir, command, port);
    }

    /** Starts the server again and returns once it accepts connections. */
    public void restart(Path log, Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("PostgreSQL did not come back within " + timeout, notYet);
                }
            }
            Thread.sleep(200);
        }
    }
}
