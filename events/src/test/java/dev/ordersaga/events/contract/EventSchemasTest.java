package dev.ordersaga.events.contract;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator's one refusal, a number whose wire form nobody decided yet, and the form decided for decimals. */
class EventSchemasTest {

    record Charged(int version, String orderId, BigDecimal amount) {
        public static final int VERSION = 1;
    }

    record Weighed(int version, String orderId, double kilograms) {
        public static final int VERSION = 1;
    }

    @Test
    void floatingPointIsRefusedUntilItsWireFormIsDecided() {
        assertThatThrownBy(() -> new EventSchemas().schema(Weighed.class))
                .hasMessageContaining("Weighed.kilograms is a double");
    }

    @Test
    void aDecimalIsAStringWithTwoPlaces() {
        var amount = new EventSchemas().schema(Charged.class).get("properties").get("amount");
        assertThat(amount.get("type").asText()).isEqualTo("string");
        assertThat(amount.get("pattern").asText()).isEqualTo("^-?[0-9]+\\.[0-9]{2}$");
    }
}
