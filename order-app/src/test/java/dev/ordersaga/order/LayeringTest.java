package dev.ordersaga.order;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ordersaga.stack.LayerRules;
import org.junit.jupiter.api.Test;

/** The arrows of {@link LayerRules}, for this app. */
class LayeringTest {

    private static final String BASE = "dev.ordersaga.order";

    @Test
    void layersPointOneWay() {
        JavaClasses classes = LayerRules.importApp(BASE);
        LayerRules.rules(BASE).forEach(rule -> rule.check(classes));
    }
}
