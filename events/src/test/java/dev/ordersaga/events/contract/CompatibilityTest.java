package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.events.Nullable;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker that guards the committed schemas, fed variants of a small record the way a change to an event
 * record would reach it (through the generator), and hand-made schemas for what the records cannot express.
 */
class CompatibilityTest {

    private final EventSchemas generator = new EventSchemas();
    private final ObjectMapper json = new ObjectMapper();

    // the committed shape, version 1
    record Shipped(int version, String orderId, String carrier, @Nullable String note, Speed speed) {
        public static final int VERSION = 1;

        enum Speed { STANDARD, EXPRESS }
    }

    record WithOptionalField(int version, String orderId, String carrier, @Nullable String note, Shipped.Speed speed,
                             @Nullable String trackingUrl) {
        public static final int VERSION = 1;
    }

    record Renamed(int version, String orderId, String shipper, @Nullable String note, Shipped.Speed speed) {
        public static final int VERSION = 1;
    }

    record TypeChanged(int version, String orderId, int carrier, @Nullable String note, Shipped.Speed speed) {
        public static final int VERSION = 1;
    }

    record NoteRequired(int version, String orderId, String carrier, String note, Shipped.Speed speed) {
        public static final int VERSION = 1;
    }

    record CarrierNullable(int version, String orderId, String carrier, @Nullable String note, Shipped.Speed speed) {
        public static final int VERSION = 1;
    }

    record RequiredFieldAdded(int version, String orderId, String carrier, @Nullable String note, Shipped.Speed speed,
                              String warehouse) {
        public static final int VERSION = 1;
    }

    record SpeedAdded(int version, String orderId, String carrier, @Nullable String note, Speed speed) {
        public static final int VERSION = 1;

        enum Speed { STANDARD, EXPRESS, SAME_DAY }
    }

    record RenamedInV2(int version, String orderId, String shipper, @Nullable String note, Shipped.Speed speed) {
        public static final int VERSION = 2;
    }

    private final JsonNode v1 = generator.schema(Shipped.class);

    @Test
    void addingAnOptionalFieldIsCompatible() {
        JsonNode next = generator.schema(WithOptionalField.class);
        assertThat(Compatibility.breakingChanges(v1, next)).isEmpty();
        SchemaVerdict verdict = SchemaVerdict.of("Shipped", 1, next, Map.of(1, v1));
        assertThat(verdict.refusal()).isNull();
        assertThat(verdict.write()).isTrue();
    }

    @Test
    void anUnchangedSchemaIsUpToDate() {
        assertThat(SchemaVerdict.of("Shipped", 1, generator.schema(Shipped.class), Map.of(1, v1)).upToDate()).isTrue();
    }

    @Test
    void renamingAFieldBreaksAndTheVerdictSaysWhatToDo() {
        JsonNode next = generator.schema(Renamed.class);
        assertThat(Compatibility.breakingChanges(v1, next))
                .containsExactly("$.carrier: removed (or renamed)", "$.shipper: added as a required field (events already written lack it)");
        SchemaVerdict verdict = SchemaVerdict.of("Shipped", 1, next, Map.of(1, v1));
        assertThat(verdict.refusal()).contains("breaks its readers", "$.carrier: removed (or renamed)",
                "Raise Shipped.VERSION to 2 and keep Shipped.v1.json");
    }

    @Test
    void changingAFieldsTypeBreaks() {
        assertThat(Compatibility.breakingChanges(v1, generator.schema(TypeChanged.class)))
                .anySatisfy(p -> assertThat(p).startsWith("$.carrier: type changed from \"string\" to \"integer\""));
    }

    @Test
    void makingAnOptionalFieldRequiredBreaks() {
        assertThat(Compatibility.breakingChanges(v1, generator.schema(NoteRequired.class)))
                .contains("$.note: optional field made required", "$.note: type changed from [\"string\",\"null\"] to \"string\"");
    }

    @Test
    void makingARequiredFieldNullableBreaks() {
        JsonNode relaxed = withChange(v1, "/properties/carrier", "{\"type\":[\"string\",\"null\"]}");
        ((com.fasterxml.jackson.databind.node.ArrayNode) relaxed.get("required")).removeAll();
        assertThat(Compatibility.breakingChanges(v1, relaxed))
                .contains("$.carrier: type changed from \"string\" to [\"string\",\"null\"]",
                        "$.carrier: required field made optional (readers rely on it)");
    }

    @Test
    void addingARequiredFieldBreaks() {
        assertThat(Compatibility.breakingChanges(v1, generator.schema(RequiredFieldAdded.class)))
                .containsExactly("$.warehouse: added as a required field (events already written lack it)");
    }

    @Test
    void aNewEnumValueBreaksReadersThatSwitchOverTheKnownOnes() {
        assertThat(Compatibility.breakingChanges(v1, generator.schema(SpeedAdded.class)))
                .containsExactly("$.speed: enum changed from [\"STANDARD\",\"EXPRESS\"] to [\"STANDARD\",\"EXPRESS\",\"SAME_DAY\"]");
    }

    @Test
    void changingAFormatOrAddingARestrictionBreaks() {
        assertThat(Compatibility.breakingChanges(v1, withChange(v1, "/properties/orderId", "{\"type\":\"string\"}")))
                .containsExactly("$.orderId: format changed from \"uuid\" to (none)");
        assertThat(Compatibility.breakingChanges(v1,
                withChange(v1, "/properties/carrier", "{\"type\":\"string\",\"maxLength\":20}")))
                .containsExactly("$.carrier: adds the restriction maxLength=20");
    }

    @Test
    void changingOnlyTheWordingIsCompatible() {
        JsonNode reworded = withChange(v1, "/properties/carrier", "{\"type\":\"string\",\"description\":\"who ships it\"}");
        assertThat(Compatibility.breakingChanges(v1, reworded)).isEmpty();
    }

    @Test
    void aBreakingChangePassesOnceTheVersionIsRaisedAndTheOldSchemaKept() {
        JsonNode v2 = generator.schema(RenamedInV2.class);
        assertThat(v2.at("/properties/version/const").asInt()).isEqualTo(2);

        SchemaVerdict kept = SchemaVerdict.of("Shipped", 2, v2, Map.of(1, v1));
        assertThat(kept.refusal()).isNull();
        assertThat(kept.write()).isTrue();

        SchemaVerdict oldDropped = SchemaVerdict.of("Shipped", 2, v2, Map.of());
        assertThat(oldDropped.refusal()).contains("needs the schema of the version before it, Shipped.v1.json");
    }

    @Test
    void aVersionNeverGoesDown() {
        SchemaVerdict verdict = SchemaVerdict.of("Shipped", 1, v1, Map.of(1, v1, 2, generator.schema(RenamedInV2.class)));
        assertThat(verdict.refusal()).contains("VERSION is 1 but Shipped.v2.json is committed");
    }

    @Test
    void aNewEventTypeIsWritten() {
        SchemaVerdict verdict = SchemaVerdict.of("Shipped", 1, v1, Map.of());
        assertThat(verdict.refusal()).isNull();
        assertThat(verdict.write()).isTrue();
    }

    private JsonNode withChange(JsonNode schema, String pointer, String replacement) {
        JsonNode copy = schema.deepCopy();
        int slash = pointer.lastIndexOf('/');
        try {
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy.at(pointer.substring(0, slash)))
                    .set(pointer.substring(slash + 1), json.readTree(replacement));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return copy;
    }
}
