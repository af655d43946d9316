package dev.ordersaga.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    static void writePid(Path file, long pid) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Long.toString(pid), StandardCharsets.UTF_8);
    }

    static Optional<ProcessHandle> recorded(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Kills the process a pid file names, if it is still alive and is a Java or Postgres process. */
    static void kill(Path pidFile, String why) {
        recorded(pidFile).filter(Orphans::ours).ifPresent(p -> {
            System.err.println("[local-stack] stopping leftover process " + p.pid() + " (" + why + ")");
            terminate(p, Duration.ofSeconds(15));
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is harmless: its pid is checked before it is used
        }
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
        if (recorded(pidFile).isPresent()) {
            kill(pidFile, "postmaster of " + dataDir);
        }
    }

    /** Test stacks whose owner JVM is gone: stop what they left and delete their folders. */
    private static boolean youngerThan(Path dir, java.time.Duration age) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isAfter(java.time.Instant.now().minus(age));
        } catch (IOException e) {
            // gone already
            return true;
        }
    }

    static void reapTestStacks(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                // a folder another test JVM (failsafe forks) created a moment ago has no owner.pid yet: not an orphan
                if (recorded(dir.resolve("owner.pid")).isPresent() || youngerThan(dir, java.time.Duration.ofMinutes(1))) {
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

    private static boolean ours(ProcessHandle p) {
        String cmd = p.info().command().orElse("");
        return cmd.contains("java") || cmd.contains("postgres");
    }
}
