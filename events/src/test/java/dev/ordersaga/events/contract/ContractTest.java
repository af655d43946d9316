package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * The committed contract (events/contract/) is exactly what the records generate, and it changed only in ways
 * that keep its readers. With {@code -Dcontract.update=true} the files are rewritten instead, as long as the
 * change is allowed; a breaking change is refused either way.
 */
class ContractTest {

    static final String UPDATE = "mvn -B -pl events test -Dcontract.update=true";

    private final ContractFiles files = ContractFiles.ofModule();
    private final EventSchemas schemas = new EventSchemas();
    private final boolean update = Boolean.getBoolean("contract.update");

    @Test
    void everyEventSchemaIsCommittedAndChangedOnlyCompatibly() {
        List<String> failures = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        List<Class<? extends Event>> types = EventTypes.all().values().stream()
                .sorted(Comparator.comparing(Class::getSimpleName)).toList();
        for (Class<? extends Event> type : types) {
            String name = type.getSimpleName();
            JsonNode generated = schemas.schema(type);
            Map<Integer, JsonNode> committed = files.committedSchemas(name);
            SchemaVerdict verdict = SchemaVerdict.of(name, EventTypes.currentVersion(type), generated, committed);
            if (verdict.refusal() != null) {
                failures.add(verdict.refusal());
                continue;
            }
            Path file = files.schema(EventSchemas.fileName(type));
            String text = ContractFiles.json(generated);
            String before = files.read(file).orElse("");
            if (!before.equals(text)) {
                if (update) {
                    files.write(file, text);
                    written.add(file);
                } else {
                    failures.add(name + ": " + file + (before.isEmpty() ? " is missing" : " is not what the record generates")
                            + " (an allowed change):\n" + LineDiff.of(before, text));
                }
            }
        }
        report(failures, written);
    }

    @Test
    void theAsyncApiDocumentIsCommitted() {
        Path file = files.dir.resolve(ContractFiles.ASYNCAPI);
        String text = new AsyncApiDocument().yaml();
        String before = files.read(file).orElse("");
        if (before.equals(text)) {
            return;
        }
        if (update) {
            files.write(file, text);
            report(List.of(), List.of(file));
        } else {
            report(List.of(file + (before.isEmpty() ? " is missing" : " is not what the records generate") + ":\n"
                    + LineDiff.of(before, text)), List.of());
        }
    }

    private static void report(List<String> failures, List<Path> written) {
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures)
                    + "\n\nThe contract in events/contract/ is generated from the event records. For an allowed change: " + UPDATE);
        }
        if (!written.isEmpty()) {
            // fail on purpose: this build already copied the old files into the events jar
            fail("Updated " + written + ".\nReview them (git diff events/contract) and build again without -Dcontract.update.");
        }
    }
}
