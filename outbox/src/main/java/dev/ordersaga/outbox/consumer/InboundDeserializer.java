package dev.ordersaga.outbox.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.events.Event;
import dev.ordersaga.events.EventTypes;
import dev.ordersaga.events.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Decodes a record of the topic contract once, on the consumer's polling thread: the {@code id} and {@code eventType}
 * headers and the JSON value, into the event record named by the header. Throws for anything that must not reach a
 * service (no id, a payload that does not parse, a version newer than this build, an event on a topic it does not
 * belong to); the connector, with {@code fail-on-deserialization-failure=false}, passes such a record on with a
 * {@code null} value and the reason in its headers, and the consumer parks it. A type this build does not know is
 * not a failure: it becomes {@link Inbound.UnknownType}.
 */
public class InboundDeserializer implements Deserializer<Inbound> {

    // Tolerant reader: fields added by a newer producer of the same version are ignored.
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public Inbound deserialize(String topic, byte[] data) {
        throw new SerializationException("a record of " + topic + " without headers cannot be decoded");
    }

    @Override
    public Inbound deserialize(String topic, Headers headers, byte[] data) {
        UUID eventId = eventId(headers);
        String type = header(headers, Topics.TYPE_HEADER);
        Optional<Class<? extends Event>> eventClass = EventTypes.byName(type);
        if (eventClass.isEmpty()) {
            return new Inbound.UnknownType(eventId, type);
        }
        if (data == null) {
            throw new SerializationException(type + " " + eventId + " has no payload");
        }
        String json = new String(data, StandardCharsets.UTF_8);
        Event event;
        try {
            event = JSON.readValue(json, eventClass.get());
        } catch (JsonProcessingException e) {
            throw new SerializationException(type + " " + eventId + " is unreadable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SerializationException(type + " " + eventId + " is unreadable: " + e.getMessage(), e);
        }
        int understood = EventTypes.currentVersion(eventClass.get());
        if (event.version() > understood) {
            throw new SerializationException(type + " " + eventId + " has version " + event.version()
                    + ", newer than version " + understood + " this consumer understands");
        }
        if (event.version() < 1) {
            throw new SerializationException(type + " " + eventId + " has no version");
        }
        if (!isUuid(event.orderId())) {
            throw new SerializationException(type + " " + eventId + " has no order id (a UUID): " + event.orderId());
        }
        String home = Topics.topicOf(event.aggregateType());
        if (!home.equals(topic)) {
            throw new SerializationException(type + " " + eventId + " belongs on " + home + ", not on " + topic);
        }
        return new Inbound.Known(eventId, event, json);
    }

    private static UUID eventId(Headers headers) {
        String id = header(headers, Topics.ID_HEADER);
        if (id == null) {
            throw new SerializationException("no '" + Topics.ID_HEADER + "' header");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("the '" + Topics.ID_HEADER + "' header is not a UUID: " + id);
        }
    }

    private static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String header(Headers headers, String key) {
        Header h = headers == null ? null : headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
