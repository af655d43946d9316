package dev.ordersaga.stack;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerRulesTest {

    @Test
    void aDomainThatCallsItsEdgeFailsTheRules() {
        JavaClasses sample = new ClassFileImporter().importPackages("dev.ordersaga.layersample");
        assertThatThrownBy(() -> LayerRules.rules("dev.ordersaga.layersample").forEach(r -> r.check(sample)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SampleService")
                .hasMessageContaining("SampleResource");
    }

    @Test
    void anAppWithoutOneOfTheLayersIsRefusedRatherThanPassedSilently() {
        assertThatThrownBy(() -> LayerRules.importApp("dev.ordersaga.nosuchapp"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("dev.ordersaga.nosuchapp.domain");
        assertThat(LayerRules.rules("x")).hasSize(5);
    }
}
