package dev.ordersaga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A pid file that names one process, not just a number: the pid with the process's start instant and command. The
 * system hands a pid out again once its process is gone, so a pid alone may name an unrelated process by the time
 * it is read; a process is only signalled if it started at the recorded instant and runs the recorded command.
 */
public final class PidFile {

    /**
     * Linux derives a start instant from the boot time, which /proc gives in whole seconds: two JVMs may differ by
     * less than that. A different process on the same pid within a second of the first one's start cannot happen.
     */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    private PidFile() {
    }

    static void write(Path file, ProcessHandle process) throws IOException {
        ProcessHandle.Info info = process.info();
        write(file, process.pid(), info.startInstant().orElse(null), info.command().orElse(""), info.commandLine().orElse(""));
    }

    /** Written to a temporary file and moved into place: a reader never sees half a file. */
    static void write(Path file, long pid, Instant started, String command, String commandLine) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        if (started != null) {
            p.setProperty("started", started.toString());
        }
        p.setProperty("command", command);
        // for the operator reading the file; only the command is compared
        p.setProperty("commandLine", commandLine);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "pid file of the local stack (dev.ordersaga.stack.PidFile)");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The live process the file names, if it is still the process recorded. Otherwise the file is removed: silently
     * if its process is gone; with one line on standard error if the pid now belongs to another process, or if the
     * file records no start instant (a one-line file of an older version), since then nothing proves whose it is.
     */
    public static Optional<ProcessHandle> live(Path file) {
        Reading r = read(file);
        if (r.process.isPresent() && r.stale == null) {
            return r.process;
        }
        if (r.stale != null) {
            stale(file, r.stale);
        } else if (r.gone) {
            delete(file);
        }
        return Optional.empty();
    }

    /**
     * Whether the process the file names may still run: true for the recorded process, and for a live pid the file
     * cannot prove to be someone else's (a file of an older version). For decisions to leave things alone; the file
     * is kept.
     */
    static boolean mayBeAlive(Path file) {
        Reading r = read(file);
        return r.process.isPresent() && (r.stale == null || r.unverifiable);
    }

    /** What a pid file says: the process if it is the recorded one, or why not. */
    private record Reading(Optional<ProcessHandle> process, boolean gone, String stale, boolean unverifiable) {
    }

    private static Reading read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return new Reading(Optional.empty(), false, null, false);
        }
        long pid;
        try {
            // an older version wrote the bare pid, which Properties reads as a key without a value
            pid = Long.parseLong(p.getProperty("pid", p.stringPropertyNames().stream().findFirst().orElse("")).trim());
        } catch (NumberFormatException e) {
            return new Reading(Optional.empty(), false, "it names no pid", false);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return new Reading(process, true, null, false);
        }
        String started = p.getProperty("started");
        if (started == null) {
            return new Reading(process, false, "it records pid " + pid + " but no start time (an older version wrote it), so pid "
                    + pid + " (" + describe(process.get()) + ") may be anyone's; if it is a leftover of the stack, stop it"
                    + " yourself (kill " + pid + ")", true);
        }
        Optional<Instant> actualStart = process.get().info().startInstant();
        Optional<String> actualCommand = process.get().info().command();
        boolean same = actualStart.isPresent() && actualCommand.isPresent()
                && Duration.between(instant(started), actualStart.get()).abs().compareTo(SAME_START) <= 0
                && actualCommand.get().equals(p.getProperty("command"));
        if (!same) {
            return new Reading(process, false, "pid " + pid + " is now " + describe(process.get()) + ", not "
                    + p.getProperty("command") + " started " + started, false);
        }
        return new Reading(process, false, null, false);
    }

    /**
     * PostgreSQL's own {@code postmaster.pid}: the pid on its first line, the start time in epoch seconds on its
     * third. A stale one is removed, as PostgreSQL refuses to start while the pid it names is alive.
     */
    static Optional<ProcessHandle> livePostmaster(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 3) {
            return Optional.empty();
        }
        long pid;
        Instant started;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            started = Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> actualStart = process.get().info().startInstant();
        String command = process.get().info().command().orElse("");
        // PostgreSQL writes the time it started in whole seconds, a moment after the process was made
        boolean same = actualStart.isPresent()
                && Duration.between(started, actualStart.get()).abs().compareTo(SAME_START.multipliedBy(2)) <= 0
                && Path.of(command).getFileName() != null && Path.of(command).getFileName().toString().equals("postgres");
        if (!same) {
            stale(file, "pid " + pid + " is now " + describe(process.get()) + ", not the postmaster started " + started);
            return Optional.empty();
        }
        return process;
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("[local-stack] could not delete " + file + ": " + e);
        }
    }

    private static void stale(Path file, String why) {
        System.err.println("[local-stack] stale pid file " + file + ": " + why + "; removed it, signalled nothing");
        delete(file);
    }

    /** An unreadable time matches no process. */
    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String describe(ProcessHandle p) {
        return p.info().command().orElse("an unknown command") + " started "
                + p.info().startInstant().map(Instant::toString).orElse("at an unknown time");
    }
}
