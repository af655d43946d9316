package dev.ordersaga.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The checkout's root folder, found from the working directory (a module folder in tests). */
public final class RepoRoot {

    private RepoRoot() {
    }

    public static Optional<Path> find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("Makefile")) && Files.isDirectory(dir.resolve("local-stack"))) {
                return Optional.of(dir);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }
}
