package dev.ordersaga.stack;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The arrows of every app, for its tests to check: {@code rest} and {@code messaging} call {@code domain}, never
 * each other; {@code domain} knows neither of them nor the web module, and no Hibernate exception type (a domain
 * says "no" with its own exceptions); {@code rest} knows nothing of Hibernate.
 */
public final class LayerRules {

    private LayerRules() {
    }

    /** The app's production classes under {@code basePackage}; fails if a layer the rules name is missing. */
    public static JavaClasses importApp(String basePackage) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
        for (String layer : List.of("domain", "rest", "messaging")) {
            String pkg = basePackage + "." + layer;
            if (classes.stream().noneMatch(c -> c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + "."))) {
                // a rule about a package that does not exist passes silently
                throw new AssertionError("no classes in " + basePackage + "." + layer);
            }
        }
        return classes;
    }

    public static List<ArchRule> rules(String basePackage) {
        String domain = basePackage + ".domain..";
        String rest = basePackage + ".rest..";
        String messaging = basePackage + ".messaging..";
        return List.of(
                noClasses().that().resideInAPackage(domain).should().dependOnClassesThat()
                        .resideInAnyPackage(rest, messaging, "dev.ordersaga.web..")
                        .because("the domain is called by the edges, it never calls them"),
                noClasses().that().resideInAPackage(domain).should().dependOnClassesThat(
                                resideInAnyPackage("org.hibernate..", "io.quarkus.hibernate..").and(assignableTo(Throwable.class)))
                        .because("the domain refuses with its own exception types"),
                noClasses().that().resideInAPackage(rest).should().dependOnClassesThat()
                        .resideInAnyPackage("org.hibernate..", "io.quarkus.hibernate..")
                        .because("persistence stays behind the domain's services"),
                noClasses().that().resideInAPackage(rest).should().dependOnClassesThat().resideInAPackage(messaging),
                noClasses().that().resideInAPackage(messaging).should().dependOnClassesThat().resideInAPackage(rest));
    }
}
