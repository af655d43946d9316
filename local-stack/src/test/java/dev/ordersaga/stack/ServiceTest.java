package dev.ordersaga.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where order-app's operator console is told the services are. */
class ServiceTest {

    @TempDir
    Path keys;

    @Test
    void orderAppIsToldWhereEachServicesOpsApiIs() {
        // the environment names the token key, which LocalTokens creates: in a folder of the test's own
        StackEndpoints stack = new StackEndpoints(15432, "127.0.0.1:19092", keys);
        Map<String, String> env = Service.ORDER_APP.environment(stack, 18080, 19080);
        assertThat(env).containsEntry("ORDER_APP_URL", "http://127.0.0.1:18080")
                .containsEntry("INVENTORY_APP_URL", "http://127.0.0.1:" + Ports.fromEnv("INVENTORY_APP_PORT", 8081))
                .containsEntry("COUPON_APP_URL", "http://127.0.0.1:" + Ports.fromEnv("COUPON_APP_PORT", 8082));
        assertThat(Service.INVENTORY_APP.environment(stack, 18081, 19081)).doesNotContainKeys("INVENTORY_APP_URL", "ORDER_APP_URL");
    }

    @Test
    void theConsoleEnvironmentNamesTheGivenPorts() {
        assertThat(Service.consoleEnvironment(Map.of(Service.ORDER_APP, 1, Service.INVENTORY_APP, 2, Service.COUPON_APP, 3,
                Service.OUTBOX_RELAY, 4))).isEqualTo(Map.of("ORDER_APP_URL", "http://127.0.0.1:1",
                "INVENTORY_APP_URL", "http://127.0.0.1:2", "COUPON_APP_URL", "http://127.0.0.1:3"));
    }
}
