package dev.ordersaga.relay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.function.Predicate;

final class RelayHealth {

    private RelayHealth() {
    }

    static HealthCheckResponse check(String name, Relay relay, Predicate<SourceEngine> ok) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(!relay.engines().isEmpty());
        for (SourceEngine e : relay.engines()) {
            b.withData(e.source().name(), e.state().name() + (e.failure() == null ? "" : ": " + e.failure()));
            if (!ok.test(e)) {
                b.down();
            }
        }
        return b.build();
    }

    /** Ready when every engine streams. */
    @Readiness
    @ApplicationScoped
    static class EnginesStreaming implements HealthCheck {
        private final Relay relay;

        EnginesStreaming(Relay relay) {
            this.relay = relay;
        }

        @Override
        public HealthCheckResponse call() {
            return check("outbox engines streaming", relay, e -> e.state() == SourceEngine.State.RUNNING);
        }
    }

    /** Alive unless an engine failed: then restart the process, which resumes from the stored offsets. */
    @Liveness
    @ApplicationScoped
    static class NoEngineFailed implements HealthCheck {
        private final Relay relay;

        NoEngineFailed(Relay relay) {
            this.relay = relay;
        }

        @Override
        public HealthCheckResponse call() {
            return check("no outbox engine failed", relay, e -> e.state() != SourceEngine.State.FAILED);
        }
    }
}
