package dev.ordersaga.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Maps the {@code eventType} header to its record class, from the sealed hierarchies (no list to keep up). */
public final class EventTypes {

    private static final Map<String, Class<? extends Event>> BY_NAME = Stream.of(Event.class.getPermittedSubclasses())
            .flatMap(family -> Arrays.stream(family.getPermittedSubclasses()))
            .map(EventTypes::asEvent)
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private EventTypes() {
    }

    public static Optional<Class<? extends Event>> byName(String eventType) {
        return Optional.ofNullable(eventType).map(BY_NAME::get);
    }

    /** Every event type, by its {@code eventType} header value. */
    public static Map<String, Class<? extends Event>> all() {
        return BY_NAME;
    }

    /**
     * The newest payload version this build understands: the record's {@code VERSION} constant. A payload with a
     * higher version was written by a newer producer whose meaning this reader cannot know.
     */
    public static int currentVersion(Class<? extends Event> type) {
        try {
            return type.getField("VERSION").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " declares no public static int VERSION", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Event> asEvent(Class<?> c) {
        return (Class<? extends Event>) c;
    }
}
