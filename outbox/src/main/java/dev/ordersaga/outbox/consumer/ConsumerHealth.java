package dev.ordersaga.outbox.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness is DOWN while a consumer retries an event (its database is down, stalled or locked): traffic should go
 * to an instance that can work. Liveness is untouched: the consumer resumes by itself when the cause goes away, a
 * restart would not help.
 */
@ApplicationScoped
public class ConsumerHealth {

    private record Waiting(Instant since, String why) {
    }

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    void waiting(String consumer, Throwable cause) {
        waiting.putIfAbsent(consumer, new Waiting(Instant.now(), String.valueOf(cause)));
    }

    void working(String consumer) {
        waiting.remove(consumer);
    }

    public boolean isWaiting(String consumer) {
        return waiting.containsKey(consumer);
    }

    /** The readiness check: reads the state the consumers report. */
    @Readiness
    @ApplicationScoped
    static class Check implements HealthCheck {

        private final ConsumerHealth health;

        Check(ConsumerHealth health) {
            this.health = health;
        }

        @Override
        public HealthCheckResponse call() {
            return health.response();
        }
    }

    HealthCheckResponse response() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("event consumers").status(waiting.isEmpty());
        waiting.forEach((consumer, w) -> b.withData(consumer, "retrying for "
                + Duration.between(w.since(), Instant.now()).toSeconds() + " s: " + w.why()));
        return b.build();
    }
}
