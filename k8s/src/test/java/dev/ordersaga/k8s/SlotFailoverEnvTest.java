package dev.ordersaga.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prod overlay hands Debezium's {@code slot.failover} to the relay as an environment variable. The relay
 * reads Debezium settings as the map {@code relay.debezium} of its {@code @ConfigMapping} (outbox-relay
 * RelayConfig); this pins that SmallRye, at the Quarkus BOM's version, turns the variable into that map key.
 */
class SlotFailoverEnvTest {

    static final String VARIABLE = "RELAY_DEBEZIUM__SLOT_FAILOVER_";

    /** The shape of the relay's mapping that matters here (the relay's own class stays the relay's). */
    @ConfigMapping(prefix = "relay")
    interface RelayDebezium {
        Map<String, String> debezium();
    }

    @Test
    void theVariableBecomesDebeziumsSlotFailover() {
        String value = OverlaysTest.env(OverlaysTest.deployment(Overlays.render("prod"), "outbox-relay"), VARIABLE)
                .path("value").asText();

        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(VARIABLE, value), 300))
                .withMapping(RelayDebezium.class)
                .build();

        assertThat(config.getConfigMapping(RelayDebezium.class).debezium()).containsEntry("slot.failover", "true");
    }
}
