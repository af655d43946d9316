package dev.ordersaga.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Processes left behind by a run that was killed: their pids are recorded in files, and the next start
 * stops them before it takes their ports or data directories.
 */
final class Orphans {

    private Orphans() {
    }

    /** Records {@code process} with its start instant and command ({@link PidFile}). */
    static void writePid(Path file, ProcessHandle process) throws IOException {
        PidFile.write(file, process);
    }

    /** The process a pid file names, if it is still alive and still that process; a stale file is removed. */
    static Optional<ProcessHandle> recorded(Path pidFile) {
        return PidFile.live(pidFile);
    }

    /** Stops the process a pid file names if it is still the process recorded there; removes the file either way. */
    static void kill(Path pidFile, String why) {
        recorded(pidFile).ifPresent(p -> {
            System.err.println("[local-stack] stopping leftover process " + p.pid() + " (" + why + ")");
            terminate(p, Duration.ofSeconds(15));
        });
        PidFile.delete(pidFile);
    }

    static void terminate(ProcessHandle p, Duration grace) {
        p.destroy();
        try {
            p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more can be done than SIGKILL
            }
        }
    }

    /** A postmaster still running on this data directory after its launcher died. */
    static void stopPostmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        PidFile.livePostmaster(pidFile).ifPresent(p -> {
            System.err.println("[local-stack] stopping leftover process " + p.pid() + " (postmaster of " + dataDir + ")");
            terminate(p, Duration.ofSeconds(15));
            PidFile.delete(pidFile);
        });
    }

    private static boolean youngerThan(Path dir, java.time.Duration age) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isAfter(java.time.Instant.now().minus(age));
        } catch (IOException e) {
            // gone already
            return true;
        }
    }

    /** Test stacks whose owner JVM is gone: stop what they left and delete their folders. */
    static void reapTestStacks(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                // a folder another test JVM (failsafe forks) created a moment ago has no owner.pid yet: not an orphan
                // an owner that may still run keeps its stack, even one whose pid file cannot prove it (an older version's)
                if (PidFile.mayBeAlive(dir.resolve("owner.pid")) || youngerThan(dir, java.time.Duration.ofMinutes(1))) {
                    continue;
                }
                kill(dir.resolve("stack.pid"), "stack of a finished test run");
                stopPostmaster(dir.resolve("pg"));
                deleteTree(dir);
            }
        } catch (IOException e) {
            System.err.println("[local-stack] could not scan " + root + ": " + e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("[local-stack] could not delete " + dir + ": " + e);
        }
    }
}
