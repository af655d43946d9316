package dev.ordersaga.events.contract;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator's one refusal: a number whose wire form nobody decided yet. */
class EventSchemasTest {

    record Charged(int version, String orderId, BigDecimal amount) {
        public static final int VERSION = 1;
    }

    record Weighed(int version, String orderId, double kilograms) {
        public static final int VERSION = 1;
    }

    @Test
    void decimalsAndFloatingPointAreRefusedUntilTheirWireFormIsDecided() {
        EventSchemas schemas = new EventSchemas();
        assertThatThrownBy(() -> schemas.schema(Charged.class))
                .hasMessageContaining("Charged.amount is a BigDecimal: decide its wire form first");
        assertThatThrownBy(() -> schemas.schema(Weighed.class))
                .hasMessageContaining("Weighed.kilograms is a double");
    }
}
