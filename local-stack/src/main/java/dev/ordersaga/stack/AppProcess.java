package dev.ordersaga.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged service running as a child process, its output in a log file. */
public final class AppProcess implements AutoCloseable {

    /** The variable that moves a service's health and metrics to a port of their own (Quarkus' management interface). */
    public static final String MANAGEMENT_PORT = "MANAGEMENT_PORT";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Path pidFile;

    private AppProcess(String name, Process process, int port, int managementPort, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.pidFile = pidFile;
    }

    public static AppProcess start(String name, Path jar, int port, Map<String, String> env, Path logDir, List<String> jvmArgs)
            throws IOException {
        return start(name, jar, port, env, logDir, jvmArgs, false);
    }

    /**
     * @param ownSession in a session of its own (util-linux {@code setsid}, which keeps the pid): a Ctrl-C in the
     *                   terminal then reaches only the stack, which stops its services in order, not all at once
     */
    public static AppProcess start(String name, Path jar, int port, Map<String, String> env, Path logDir, List<String> jvmArgs,
                                   boolean ownSession) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        if (ownSession && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        int management = env.containsKey(MANAGEMENT_PORT) ? Integer.parseInt(env.get(MANAGEMENT_PORT)) : port;
        return launch(name, cmd, env, logDir, port, management);
    }

    /**
     * A launcher that execs its program ({@code setsid java ...}) keeps the pid but changes the command: the pid
     * file must record the program's, which the checks before any signal compare with. A few milliseconds.
     */
    private static void awaitExec(ProcessHandle p, String launcher) {
        if (!launcher.endsWith("setsid")) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (p.isAlive() && p.info().command().map(c -> c.endsWith("setsid")).orElse(true) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Any command as a service process: output appended to {@code logDir/name.log}, recorded in {@code logDir/name.pid}
     * (removed again by {@link #close()}) so that a later run can stop it if this JVM dies without closing it.
     */
    public static AppProcess launch(String name, List<String> command, Map<String, String> env, Path logDir, int port,
                             int managementPort) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        awaitExec(p.toHandle(), command.get(0));
        Path pidFile = logDir.resolve(name + ".pid");
        try {
            Orphans.writePid(pidFile, p.toHandle());
        } catch (IOException e) {
            Orphans.terminate(p.toHandle(), Duration.ofSeconds(20));
            throw e;
        }
        return new AppProcess(name, p, port, managementPort, log, pidFile);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where health ({@code /q/health}) and metrics ({@code /q/metrics}) answer: the API's own URL for the relay. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Path log() {
        return log;
    }

    public Process process() {
        return process;
    }

    /** Polls /q/health/ready until it answers 200; fails early if the process dies. */
    public AppProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest req = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM kill would do (and the pid file stays, as then). */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(20));
    }

    /** Stops the process (SIGTERM, SIGKILL after 20 s) and removes its pid file. */
    @Override
    public void close() {
        if (process.isAlive()) {
            Orphans.terminate(process.toHandle(), Duration.ofSeconds(20));
        }
        PidFile.delete(pidFile);
    }

    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
