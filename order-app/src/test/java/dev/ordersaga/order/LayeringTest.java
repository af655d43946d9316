package dev.ordersaga.order;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ordersaga.stack.LayerRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The arrows of {@link LayerRules}, for this app; and the console ({@code ops}), an edge of its own. */
class LayeringTest {

    private static final String BASE = "dev.ordersaga.order";
    private static final String OPS = BASE + ".ops..";

    @Test
    void layersPointOneWay() {
        JavaClasses classes = LayerRules.importApp(BASE);
        LayerRules.rules(BASE).forEach(rule -> rule.check(classes));
    }

    /** The console reads the domain and the other services; the saga never depends on it. */
    @Test
    void theConsoleIsAnEdgeNothingElseDependsOn() {
        JavaClasses classes = LayerRules.importApp(BASE);
        // a rule about a package that does not exist passes silently
        assertThat(classes.stream().map(c -> c.getPackageName())).contains(BASE + ".ops");
        noClasses().that().resideInAnyPackage(BASE + ".domain..", BASE + ".rest..", BASE + ".messaging..")
                .should().dependOnClassesThat().resideInAPackage(OPS)
                .because("operations look at the saga, the saga does not know them").check(classes);
        noClasses().that().resideInAPackage(OPS).should().dependOnClassesThat()
                .resideInAnyPackage(BASE + ".rest..", BASE + ".messaging..", "org.hibernate..", "io.quarkus.hibernate..")
                .because("the console reads orders through the domain's services, like every edge").check(classes);
    }
}
