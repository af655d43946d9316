package dev.ordersaga.outbox.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;

/**
 * The relay's backlog as this service sees it, as Prometheus gauges for the alert rules (the relay serves its own
 * {@code relay_slot_lag_bytes}): {@code outbox.unpublished.oldest.seconds}, the age of the oldest event this service
 * wrote that the relay's slot has not confirmed (0 when none), and {@code outbox.relay.lag.bytes}. One query per
 * scrape at most every 10 s, so a scraper never costs the database more than that.
 */
@ApplicationScoped
class BacklogMetrics {

    private static final Duration CACHE = Duration.ofSeconds(10);

    private final OpsQueries queries;
    private volatile OpsViews.Relay last = new OpsViews.Relay(null, null, null, null, null);
    private volatile Instant readAt = Instant.EPOCH;

    BacklogMetrics(OpsQueries queries) {
        this.queries = queries;
    }

    void register(@Observes StartupEvent started, MeterRegistry metrics) {
        Gauge.builder("outbox.unpublished.oldest.seconds", this, b -> orZero(b.relay().oldestUnpublishedAgeSeconds()))
                .description("Age of the oldest outbox event the relay has not confirmed yet (0: none)")
                .baseUnit("seconds").register(metrics);
        Gauge.builder("outbox.relay.lag.bytes", this, b -> orZero(b.relay().lagBytes()))
                .description("WAL the relay's slot has not confirmed yet").baseUnit("bytes").register(metrics);
    }

    private OpsViews.Relay relay() {
        if (Duration.between(readAt, Instant.now()).compareTo(CACHE) > 0) {
            try {
                last = queries.relay();
            } catch (IllegalStateException e) {
                Log.warnf("outbox backlog gauges: cannot read the slot (%s), reporting the last figures", e.getMessage());
            }
            readAt = Instant.now();
        }
        return last;
    }

    private static double orZero(Number n) {
        return n == null ? 0 : n.doubleValue();
    }
}
