package dev.ordersaga.outbox;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes events to the outbox table in the caller's transaction; the relay publishes them from the WAL.
 * There is no way to call it outside a transaction: a state change and its event commit together or not at all.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final boolean deleteAfterInsert;
    private final DelayedEvents delayed;
    private final Tracer tracer;

    public Outbox(EntityManager em, ObjectMapper json, MeterRegistry metrics, DelayedEvents delayed, Tracer tracer,
                  @ConfigProperty(name = "outbox.delete-after-insert", defaultValue = "true") boolean deleteAfterInsert) {
        this.em = em;
        // the topic contract: a decimal travels as a JSON string ("12.50"), never rounded through a double
        this.json = json.copy();
        this.json.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        this.metrics = metrics;
        this.delayed = delayed;
        this.tracer = tracer;
        this.deleteAfterInsert = deleteAfterInsert;
    }

    /** A delayed event, by its event id: the id it will carry on Kafka, fixed when it is scheduled. */
    public record Scheduled(UUID eventId) {
    }

    /**
     * Schedules an event of the contract to enter the outbox at {@code deliverAt} (any time ahead; one in the past
     * fires at once), in the caller's transaction: it is scheduled if and only if the caller commits. When it fires
     * it flows like any event added then, with the id fixed now, so a duplicate firing is deduplicated by every inbox.
     * Its traceparent is that of the span "outbox.schedule &lt;type&gt;" here: the consumers of the fired event continue
     * the trace that scheduled it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Scheduled schedule(Event event, Instant deliverAt) {
        UUID id = UUID.randomUUID();
        Span span = span("outbox.schedule ", id, event.aggregateType(), event.orderId(), event.type());
        return Tracing.inSpan(span, () -> {
            em.createNativeQuery("""
                            INSERT INTO outbox_delayed (id, aggregatetype, aggregateid, type, payload, deliver_at, created_at, traceparent)
                            VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6, ?7, ?8)""")
                    .setParameter(1, id)
                    .setParameter(2, event.aggregateType())
                    .setParameter(3, event.orderId())
                    .setParameter(4, event.type())
                    .setParameter(5, toJson(event))
                    .setParameter(6, deliverAt)
                    .setParameter(7, Instant.now())
                    .setParameter(8, Tracing.traceparent(span.getSpanContext()))
                    .executeUpdate();
            delayed.scheduled(deliverAt);
            return new Scheduled(id);
        });
    }

    /**
     * Withdraws a delayed event in the caller's transaction. True if it had not fired: once the caller commits it
     * never will. False if it fired already or was cancelled before. A firing in progress holds the row, so this
     * waits for it and then answers false.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean cancel(Scheduled scheduled) {
        boolean withdrawn = em.createNativeQuery("DELETE FROM outbox_delayed WHERE id = ?1")
                .setParameter(1, scheduled.eventId()).executeUpdate() > 0;
        if (withdrawn) {
            delayed.cancelled();
        }
        return withdrawn;
    }

    /** Adds an event of the contract, keyed by its order id. Returns the event id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID add(Event event) {
        return add(event.aggregateType(), event.orderId(), event.type(), event);
    }

    /** Adds the events a transition caused, in order. Returns their ids. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> addAll(List<? extends Event> events) {
        return events.stream().map(this::add).toList();
    }

    /**
     * Adds any event. The payload is serialized once, to a JSON object: never a JSON string inside JSON.
     * With {@code outbox.delete-after-insert} the row is deleted in the same transaction; the WAL still
     * carries the insert, and the publication does not publish deletes. The row's traceparent is that of the span
     * "outbox.write &lt;type&gt;" around the insert, a child of the current span (the request's, or a consumer's
     * {@link Tracing#call}); null when tracing is off.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID add(String aggregateType, String aggregateId, String type, Object payload) {
        UUID id = UUID.randomUUID();
        Span span = span("outbox.write ", id, aggregateType, aggregateId, type);
        return Tracing.inSpan(span, () -> {
            em.createNativeQuery("""
                            INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, created_at, traceparent)
                            VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6, ?7)""")
                    .setParameter(1, id)
                    .setParameter(2, aggregateType)
                    .setParameter(3, aggregateId)
                    .setParameter(4, type)
                    .setParameter(5, toJson(payload))
                    .setParameter(6, Instant.now())
                    .setParameter(7, Tracing.traceparent(span.getSpanContext()))
                    .executeUpdate();
            if (deleteAfterInsert) {
                em.createNativeQuery("DELETE FROM outbox WHERE id = ?1").setParameter(1, id).executeUpdate();
            }
            metrics.counter("outbox.events.written", "aggregatetype", aggregateType, "type", type).increment();
            return id;
        });
    }

    private Span span(String name, UUID id, String aggregateType, String aggregateId, String type) {
        return tracer.spanBuilder(name + type)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(Tracing.EVENT_ID, id.toString())
                .setAttribute(Tracing.EVENT_TYPE, type)
                .setAttribute(Tracing.AGGREGATE_TYPE, aggregateType)
                .setAttribute(Tracing.ORDER_ID, aggregateId)
                .startSpan();
    }

    private String toJson(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + payload.getClass().getName() + " to JSON", e);
        }
    }
}
