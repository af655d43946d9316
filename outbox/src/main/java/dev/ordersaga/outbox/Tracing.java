package dev.ordersaga.outbox;

import dev.ordersaga.outbox.schema.OutboxSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One trace per order flow across the services: the outbox row carries the W3C traceparent of the span that wrote it
 * ({@link Outbox#add}), the relay puts it on the Kafka record as header {@value #HEADER}, and a consumer applies the
 * record in a span "apply &lt;type&gt;" ({@link #run}, {@link #call}) that is its child and is current meanwhile, so
 * the events it writes are children of that in turn. A missing, empty or malformed header starts a new trace: tracing
 * never refuses an event.
 */
@ApplicationScoped
public class Tracing {

    /** The Kafka header (and outbox column) that carries the parent: {@code 00-<trace id>-<span id>-<flags>}. */
    public static final String HEADER = OutboxSchema.TRACEPARENT;

    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("saga.event.id");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("saga.event.type");
    public static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("saga.order.id");
    public static final AttributeKey<String> AGGREGATE_TYPE = AttributeKey.stringKey("saga.aggregate.type");
    public static final AttributeKey<String> CONSUMER = AttributeKey.stringKey("saga.consumer");

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(HEADER);
        }

        @Override
        public String get(String traceparent, String key) {
            return HEADER.equals(key) ? traceparent : null;
        }
    };

    private final Tracer tracer;

    public Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Applies one Kafka record's event in its span "apply &lt;eventType&gt;": parent from the record's header, order
     * id from its key. Returns what {@code work} returns; an exception ends the span with an error and is rethrown.
     */
    public <T> T call(String consumer, ConsumerRecord<String, ?> record, UUID eventId, String eventType, Supplier<T> work) {
        Span span = tracer.spanBuilder("apply " + eventType)
                .setParent(parent(header(record.headers())))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(CONSUMER, consumer)
                .setAttribute(EVENT_ID, String.valueOf(eventId))
                .setAttribute(EVENT_TYPE, eventType)
                .setAttribute(ORDER_ID, String.valueOf(record.key()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.consumer.group.name", consumer)
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        return inSpan(span, work);
    }

    /** {@link #call(String, ConsumerRecord, UUID, String, Supplier)} for work that returns nothing. */
    public void run(String consumer, ConsumerRecord<String, ?> record, UUID eventId, String eventType, Runnable work) {
        call(consumer, record, eventId, eventType, () -> {
            work.run();
            return null;
        });
    }

    /**
     * The same for an event that is not at hand as a record (a replay of a parked event): {@code traceparent} is the
     * header value it was delivered with, or null.
     */
    public <T> T call(String consumer, String traceparent, UUID eventId, String eventType, String orderId, Supplier<T> work) {
        Span span = tracer.spanBuilder("apply " + eventType)
                .setParent(parent(traceparent))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(CONSUMER, consumer)
                .setAttribute(EVENT_ID, String.valueOf(eventId))
                .setAttribute(EVENT_TYPE, eventType)
                .setAttribute(ORDER_ID, String.valueOf(orderId))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.consumer.group.name", consumer)
                .startSpan();
        return inSpan(span, work);
    }

    public void run(String consumer, String traceparent, UUID eventId, String eventType, String orderId, Runnable work) {
        call(consumer, traceparent, eventId, eventType, orderId, () -> {
            work.run();
            return null;
        });
    }

    /** The W3C traceparent of the current span, or null when there is none (tracing off, no span open). */
    public static String traceparent() {
        return traceparent(Span.current().getSpanContext());
    }

    /** The {@value #HEADER} value of a record's headers, or null when absent or empty. */
    public static String header(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null || h.value().length == 0 ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** A context whose span is the remote parent named by {@code traceparent}; the root context if there is none. */
    static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent.trim(), ONE_VALUE);
    }

    /** Runs {@code work} with {@code span} current; the span ends either way, with an error status on an exception. */
    static <T> T inSpan(Span span, Supplier<T> work) {
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
