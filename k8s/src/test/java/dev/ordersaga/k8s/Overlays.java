package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The overlays under k8s/overlays, rendered once per test run, and the checker that holds them to account. */
final class Overlays {

    static final List<String> ALL = List.of("dev", "prod");

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static volatile Kubectl kubectl;

    private Overlays() {
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    }

    static Path overlay(String name) {
        return projectRoot().resolve("k8s/overlays").resolve(name);
    }

    static synchronized Kubectl kubectl() {
        if (kubectl == null) {
            kubectl = Kubectl.obtain(projectRoot());
        }
        return kubectl;
    }

    static List<ObjectNode> render(String name) {
        return Documents.copy(Documents.parse(RENDERED.computeIfAbsent(name, n -> kubectl().kustomize(overlay(n)))));
    }

    static CrossChecks.Context context(String name) {
        String prefix = System.getProperty("image.registry", "registry.example.com") + "/"
                + System.getProperty("image.group", "order-saga") + "/";
        return new CrossChecks.Context(projectRoot(), prefix, System.getProperty("image.tag", "0.1.0-SNAPSHOT"),
                CrossChecks.Context.secretsFromOutside(overlay(name)));
    }

    /** Every problem of the documents: schema first, then how they fit together. Empty when all is well. */
    static List<String> check(List<ObjectNode> docs, CrossChecks.Context ctx) {
        List<String> problems = new ArrayList<>(Schemas.check(docs));
        problems.addAll(CrossChecks.check(docs, ctx));
        return problems;
    }
}
