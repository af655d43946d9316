package dev.ordersaga.relay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.function.Predicate;

final class RelayHealth {

    private RelayHealth() {
    }

    /** Per source: {@code active} or {@code standby}, and what its engine does or why it waits. */
    static HealthCheckResponse check(String name, Relay relay, Predicate<SourceLeader> ok) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(!relay.leaders().isEmpty());
        for (SourceLeader l : relay.leaders()) {
            b.withData(l.source().name(), l.role() == SourceLeader.Role.ACTIVE ? "active" : "standby");
            b.withData(l.source().name() + ".state", l.detail());
            b.withData("instance", l.instanceId());
            if (!ok.test(l)) {
                b.down();
            }
        }
        return b.build();
    }

    /**
     * Ready when every source this replica leads streams. A standby is ready: it is waiting, not broken, and a
     * rollout must be able to proceed past it.
     */
    @Readiness
    @ApplicationScoped
    static class EnginesStreaming implements HealthCheck {
        private final Relay relay;

        EnginesStreaming(Relay relay) {
            this.relay = relay;
        }

        @Override
        public HealthCheckResponse call() {
            return check("outbox engines streaming", relay,
                    l -> l.role() == SourceLeader.Role.STANDBY ? l.state() != SourceEngine.State.FAILED
                            : l.state() == SourceEngine.State.RUNNING);
        }
    }

    // No liveness check of the engines: a failed engine is started again inside the process (SourceLeader), and a
    // pod restarted for it would stop the other sources too. Alerts watch relay_engine_up and relay_engine_restarts.
}
