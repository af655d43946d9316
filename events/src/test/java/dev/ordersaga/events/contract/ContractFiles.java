package dev.ordersaga.events.contract;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The committed contract in {@code events/contract/}: {@code asyncapi.yaml} and {@code schemas/<type>.v<n>.json}. */
final class ContractFiles {

    static final String ASYNCAPI = "asyncapi.yaml";
    private static final Pattern SCHEMA_FILE = Pattern.compile("(\\w+)\\.v(\\d+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;

    ContractFiles(Path dir) {
        this.dir = dir;
    }

    /** The module's contract/ directory; Surefire runs in the module directory and sets {@code basedir}. */
    static ContractFiles ofModule() {
        return new ContractFiles(Path.of(System.getProperty("basedir", ".")).resolve("contract"));
    }

    Path schema(String fileName) {
        return dir.resolve("schemas").resolve(fileName);
    }

    Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every committed schema of {@code eventType}, by version. */
    Map<Integer, JsonNode> committedSchemas(String eventType) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        Path schemas = dir.resolve("schemas");
        if (!Files.isDirectory(schemas)) {
            return out;
        }
        try (Stream<Path> files = Files.list(schemas)) {
            for (Path f : files.toList()) {
                Matcher m = SCHEMA_FILE.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(eventType)) {
                    out.put(Integer.parseInt(m.group(2)), JSON.readTree(f.toFile()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Two-space indentation, one value per line, a final newline: what {@code JSON.stringify(s, null, 2)} writes. */
    static String json(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
