package dev.ordersaga.events.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.Nullable;
import dev.ordersaga.events.Topics;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the JSON Schema (draft-07, the dialect AsyncAPI 3.0 names) of one event record's JSON value.
 *
 * <p>The rules, all derived from the records: every component is required unless it is {@link Nullable}, which
 * also lets it be null; {@code version} is the record's {@code VERSION} as a constant; the {@code orderId} is a
 * UUID; an {@code Instant} is an RFC 3339 {@code date-time} string; an enum is a string with its constants as
 * the allowed values; {@code int} is a 32-bit integer; a {@code BigDecimal} is a string with two decimal places. Unknown fields are allowed: a reader ignores fields
 * added later. Every schema is inlined (no {@code $ref} inside a schema file), so each file stands alone.
 */
public final class EventSchemas {

    private static final String ORDER_ID = "orderId";
    private static final String VERSION = "version";
    /** A {@code BigDecimal} travels as a JSON string with two places: money, never rounded through a double. */
    static final String DECIMAL_PATTERN = "^-?[0-9]+\\.[0-9]{2}$";

    private final SchemaGenerator generator;

    public EventSchemas() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.INLINE_ALL_SCHEMAS, Option.EXTRA_OPEN_API_FORMAT_VALUES)
                .without(Option.NONSTATIC_NONVOID_NONGETTER_METHODS, Option.VOID_METHODS, Option.GETTER_METHODS);
        // properties in the record's component order, as a reader of the Java source sees them
        config.forTypesInGeneral().withPropertySorter(Comparator.comparingInt(EventSchemas::componentIndex));
        config.forFields()
                .withNullableCheck(EventSchemas::nullable)
                .withRequiredCheck(field -> !nullable(field))
                .withStringFormatResolver(field -> ORDER_ID.equals(field.getDeclaredName()) ? "uuid" : null)
                .withStringPatternResolver(field -> isDecimal(field) ? DECIMAL_PATTERN : null)
                .withEnumResolver(field -> VERSION.equals(field.getDeclaredName())
                        ? List.of(versionOf(field.getDeclaringType().getErasedType())) : null)
                .withTargetTypeOverridesResolver(field -> isDecimal(field)
                        ? List.of(field.getContext().resolve(String.class)) : refuseUndecidedNumbers(field));
        generator = new SchemaGenerator(config.build());
    }

    /**
     * The schema of {@code type}'s current version, as committed in {@code <type>.v<VERSION>.json}. Any record
     * with a {@code public static final int VERSION} works (the tests feed it variants that are no events).
     */
    public ObjectNode schema(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is no record");
        }
        ObjectNode schema = generator.generateSchema(type);
        ObjectNode out = schema.objectNode();
        // a stable key order up front, so the committed files read well and diff cleanly
        out.set("$schema", schema.remove("$schema"));
        out.put("title", type.getSimpleName());
        out.put("description", "The value of a record with header " + Topics.TYPE_HEADER + "=" + type.getSimpleName()
                + ", version " + versionOf(type) + ", as one JSON object (UTF-8).");
        out.setAll(schema);
        return out;
    }

    public static String fileName(Class<?> type) {
        return fileName(type.getSimpleName(), versionOf(type));
    }

    public static String fileName(String eventType, int version) {
        return eventType + ".v" + version + ".json";
    }

    private static int componentIndex(MemberScope<?, ?> member) {
        RecordComponent[] components = member.getDeclaringType().getErasedType().getRecordComponents();
        for (int i = 0; components != null && i < components.length; i++) {
            if (components[i].getName().equals(member.getDeclaredName())) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static boolean nullable(FieldScope field) {
        return field.getAnnotationConsideringFieldAndGetter(Nullable.class) != null;
    }

    /** The record's {@code VERSION}: what {@link EventTypes#currentVersion} reads, for any record. */
    public static int versionOf(Class<?> type) {
        try {
            return type.getField("VERSION").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " declares no public static int VERSION", e);
        }
    }

    private static boolean isDecimal(FieldScope field) {
        return field.getDeclaredType().getErasedType() == BigDecimal.class;
    }

    /**
     * Floating point and big integers have no decided wire form yet (a double loses cents; the README says a decimal
     * travels as a string): refuse them here rather than publish a schema nobody chose.
     */
    private static List<com.fasterxml.classmate.ResolvedType> refuseUndecidedNumbers(FieldScope field) {
        Class<?> t = field.getType().getErasedType();
        if (t == double.class || t == float.class || t == Double.class || t == Float.class
                || t == BigInteger.class) {
            throw new IllegalStateException(field.getDeclaringType().getErasedType().getSimpleName() + "." + field.getDeclaredName()
                    + " is a " + t.getSimpleName() + ": decide its wire form first (see the README, topic contract: numbers)");
        }
        return null;
    }
}
