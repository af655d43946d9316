package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What no schema sees: that the documents of an overlay fit together and fit the apps. Selectors select pods,
 * ports and probes exist, every variable an app reads is set, every Secret and ConfigMap reference resolves,
 * every topic an app uses is declared, images carry the build's one tag.
 */
final class CrossChecks {

    /** The health endpoints SmallRye Health serves in every app. */
    static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready");

    /** What CloudNativePG writes into {@code <cluster>-app} for the bootstrap owner. */
    static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "password", "host", "port", "dbname", "uri",
            "jdbc-uri", "pgpass");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern TOPIC = Pattern.compile("^mp\\.messaging\\.(?:incoming|outgoing)\\.([^.]+)\\.topic\\s*=\\s*(\\S+)", Pattern.MULTILINE);

    /** One overlay to check: where the apps' sources are, what the build names images, what comes from outside. */
    record Context(Path projectRoot, String imagePrefix, String imageTag, Map<String, Set<String>> secretsFromOutside) {

        /** {@code secrets-from-outside.txt} of the overlay, if it has one: "name key key ..." per line. */
        static Map<String, Set<String>> secretsFromOutside(Path overlay) {
            Path file = overlay.resolve("secrets-from-outside.txt");
            Map<String, Set<String>> secrets = new LinkedHashMap<>();
            if (Files.exists(file)) {
                try {
                    for (String line : Files.readAllLines(file)) {
                        String l = line.strip();
                        if (l.isEmpty() || l.startsWith("#")) {
                            continue;
                        }
                        String[] parts = l.split("\\s+");
                        secrets.put(parts[0], Set.of(java.util.Arrays.copyOfRange(parts, 1, parts.length)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return secrets;
        }
    }

    /** A pod the overlay will run: from a Deployment or Job template, or made by an operator (labels only). */
    private record Pod(String owner, String namespace, Map<String, String> labels, JsonNode spec) {
    }

    private final List<ObjectNode> docs;
    private final Context ctx;
    private final List<String> problems = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final Map<String, Set<String>> configMaps = new HashMap<>();
    private final Map<String, Set<String>> secrets = new HashMap<>();

    private CrossChecks(List<ObjectNode> docs, Context ctx) {
        this.docs = docs;
        this.ctx = ctx;
    }

    static List<String> check(List<ObjectNode> docs, Context ctx) {
        CrossChecks c = new CrossChecks(docs, ctx);
        c.collect();
        c.workloads();
        c.services();
        c.budgetsAndAutoscalers();
        c.networkPolicies();
        c.kafkaListenerPeers();
        c.cnpgSecrets();
        c.topics();
        return c.problems;
    }

    private static String ns(JsonNode doc) {
        return doc.path("metadata").path("namespace").asText("");
    }

    private static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText("");
    }

    private List<ObjectNode> ofKind(String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> m = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private void collect() {
        for (ObjectNode d : ofKind("ConfigMap")) {
            Set<String> keys = new TreeSet<>();
            d.path("data").fieldNames().forEachRemaining(keys::add);
            d.path("binaryData").fieldNames().forEachRemaining(keys::add);
            configMaps.put(ns(d) + "/" + name(d), keys);
        }
        for (ObjectNode d : ofKind("Secret")) {
            Set<String> keys = new TreeSet<>();
            d.path("data").fieldNames().forEachRemaining(keys::add);
            d.path("stringData").fieldNames().forEachRemaining(keys::add);
            secrets.put(ns(d) + "/" + name(d), keys);
        }
        for (ObjectNode d : ofKind("Cluster")) {
            // written by CloudNativePG: the bootstrap owner's secret, and the superuser's if asked for
            secrets.put(ns(d) + "/" + name(d) + "-app", CNPG_APP_SECRET_KEYS);
            if (d.path("spec").path("enableSuperuserAccess").asBoolean(false)) {
                secrets.put(ns(d) + "/" + name(d) + "-superuser", CNPG_APP_SECRET_KEYS);
            }
            pods.add(new Pod("Cluster/" + name(d), ns(d), Map.of("cnpg.io/cluster", name(d)), null));
        }
        for (ObjectNode d : ofKind("Kafka")) {
            pods.add(new Pod("Kafka/" + name(d), ns(d), Map.of("strimzi.io/cluster", name(d)), null));
        }
        for (String kind : List.of("Deployment", "Job")) {
            for (ObjectNode d : ofKind(kind)) {
                JsonNode template = d.path("spec").path("template");
                pods.add(new Pod(kind + "/" + name(d), ns(d), labels(template.path("metadata").path("labels")), template.path("spec")));
            }
        }
        // the namespace's own secrets beside those the overlay declares as brought from outside
        Set<String> namespaces = new LinkedHashSet<>();
        docs.forEach(d -> namespaces.add(ns(d)));
        for (String n : namespaces) {
            ctx.secretsFromOutside().forEach((secret, keys) -> secrets.putIfAbsent(n + "/" + secret, keys));
        }
    }

    /** matchLabels and matchExpressions, as Kubernetes evaluates a LabelSelector. An empty selector selects all. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        for (var it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            Set<String> values = new TreeSet<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private List<Pod> podsSelectedBy(String namespace, JsonNode selector, boolean templatesOnly) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && (!templatesOnly || p.spec() != null)
                && selects(selector, p.labels())).toList();
    }

    private void workloads() {
        for (ObjectNode d : ofKind("Deployment")) {
            String where = Documents.describe(d);
            JsonNode selector = d.path("spec").path("selector");
            Map<String, String> templateLabels = labels(d.path("spec").path("template").path("metadata").path("labels"));
            if (selector.isMissingNode() || !selects(selector, templateLabels)) {
                problems.add(where + ": spec.selector " + selector + " does not match the pod template's labels " + templateLabels);
            }
        }
        for (Pod pod : pods) {
            if (pod.spec() == null) {
                continue;
            }
            for (JsonNode c : containers(pod.spec())) {
                String where = pod.owner() + " container " + c.path("name").asText();
                image(where, c.path("image").asText());
                if (pod.owner().startsWith("Deployment/") && app(c).isEmpty()) {
                    // every Deployment here runs one of our images: anything else means the names drifted from the build's
                    problems.add(where + ": image " + c.path("image").asText() + " is not one the build makes ("
                            + ctx.imagePrefix() + "<module>:" + ctx.imageTag() + ")");
                }
                references(where, pod.namespace(), c);
                probes(where, c, pod.owner().startsWith("Deployment/"));
                app(c).ifPresent(app -> {
                    environment(where, app, c, pod.namespace());
                    servesHealth(where, app);
                });
            }
            volumes(pod);
        }
        for (ObjectNode d : ofKind("Cluster")) {
            image("Cluster/" + name(d), d.path("spec").path("imageName").asText());
        }
    }

    private static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> all = new ArrayList<>();
        podSpec.path("initContainers").forEach(all::add);
        podSpec.path("containers").forEach(all::add);
        return all;
    }

    private void image(String where, String image) {
        if (image.isEmpty()) {
            return;
        }
        if (image.contains("@sha256:")) {
            return;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            problems.add(where + ": image " + image + " has no tag (it would mean latest)");
        } else if (image.substring(colon + 1).equals("latest")) {
            problems.add(where + ": image " + image + " uses the tag latest");
        }
        String repository = colon > slash ? image.substring(0, colon) : image;
        String module = repository.substring(slash + 1);
        if (repository.equals(ctx.imagePrefix() + module) && colon > slash
                && !image.substring(colon + 1).equals(ctx.imageTag())) {
            problems.add(where + ": image " + image + " is not the tag the build gives its images (" + ctx.imageTag() + ")");
        }
    }

    /** Our own images are named registry/group/module: the module tells which application.properties applies. */
    private java.util.Optional<String> app(JsonNode container) {
        String image = container.path("image").asText();
        if (!image.startsWith(ctx.imagePrefix())) {
            return java.util.Optional.empty();
        }
        String rest = image.substring(ctx.imagePrefix().length());
        String module = rest.split("[:@]")[0];
        return java.util.Optional.of(module);
    }

    private void references(String where, String namespace, JsonNode c) {
        for (JsonNode env : c.path("env")) {
            JsonNode from = env.path("valueFrom");
            ref(where + " env " + env.path("name").asText(), namespace, "ConfigMap", from.path("configMapKeyRef"));
            ref(where + " env " + env.path("name").asText(), namespace, "Secret", from.path("secretKeyRef"));
        }
        for (JsonNode envFrom : c.path("envFrom")) {
            ref(where + " envFrom", namespace, "ConfigMap", envFrom.path("configMapRef"));
            ref(where + " envFrom", namespace, "Secret", envFrom.path("secretRef"));
        }
    }

    private void ref(String where, String namespace, String kind, JsonNode ref) {
        if (ref.isMissingNode() || ref.path("optional").asBoolean(false)) {
            return;
        }
        String refName = ref.path("name").asText();
        Map<String, Set<String>> known = kind.equals("Secret") ? secrets : configMaps;
        Set<String> keys = known.get(namespace + "/" + refName);
        if (keys == null) {
            problems.add(where + ": " + kind + " " + refName + " does not exist in the overlay");
        } else if (ref.has("key") && !keys.contains(ref.path("key").asText())) {
            problems.add(where + ": " + kind + " " + refName + " has no key " + ref.path("key").asText() + " (keys: " + keys + ")");
        }
    }

    private void volumes(Pod pod) {
        for (JsonNode v : pod.spec().path("volumes")) {
            String where = pod.owner() + " volume " + v.path("name").asText();
            JsonNode cm = v.path("configMap");
            if (!cm.isMissingNode() && !cm.path("optional").asBoolean(false)) {
                volumeRef(where, pod.namespace(), "ConfigMap", cm.path("name").asText(), cm.path("items"), configMaps);
            }
            JsonNode secret = v.path("secret");
            if (!secret.isMissingNode() && !secret.path("optional").asBoolean(false)) {
                volumeRef(where, pod.namespace(), "Secret", secret.path("secretName").asText(), secret.path("items"), secrets);
            }
        }
    }

    private void volumeRef(String where, String namespace, String kind, String refName, JsonNode items, Map<String, Set<String>> known) {
        Set<String> keys = known.get(namespace + "/" + refName);
        if (keys == null) {
            problems.add(where + ": " + kind + " " + refName + " does not exist in the overlay");
            return;
        }
        for (JsonNode item : items) {
            if (!keys.contains(item.path("key").asText())) {
                problems.add(where + ": " + kind + " " + refName + " has no key " + item.path("key").asText());
            }
        }
    }

    private static Set<String> portNames(JsonNode container) {
        Set<String> names = new TreeSet<>();
        container.path("ports").forEach(p -> {
            names.add(p.path("containerPort").asText());
            if (p.has("name")) {
                names.add(p.path("name").asText());
            }
        });
        return names;
    }

    private void probes(String where, JsonNode c, boolean longRunning) {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode p = c.path(probe);
            if (p.isMissingNode()) {
                if (longRunning && !probe.equals("startupProbe")) {
                    problems.add(where + ": no " + probe);
                }
                continue;
            }
            JsonNode http = p.path("httpGet");
            if (http.isMissingNode()) {
                problems.add(where + ": " + probe + " is not an HTTP probe of the app's health endpoints");
                continue;
            }
            String path = http.path("path").asText();
            if (!HEALTH_PATHS.contains(path)) {
                problems.add(where + ": " + probe + " path " + path + " is not one the app serves " + new TreeSet<>(HEALTH_PATHS));
            }
            String port = http.path("port").asText();
            if (!portNames(c).contains(port)) {
                problems.add(where + ": " + probe + " port " + port + " is not a port of the container " + portNames(c));
            }
        }
        if (longRunning && c.path("readinessProbe").path("httpGet").path("path").asText().equals("/q/health/live")) {
            problems.add(where + ": readinessProbe checks liveness: use /q/health/ready");
        }
    }

    /** The health paths exist only where SmallRye Health is on the classpath: in the module's pom or its parent's. */
    private void servesHealth(String where, String app) {
        try {
            String pom = Files.readString(ctx.projectRoot().resolve(app).resolve("pom.xml"));
            Matcher parent = Pattern.compile("<parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL).matcher(pom);
            Path parentPom = parent.find() ? ctx.projectRoot().resolve(parent.group(1)).resolve("pom.xml") : null;
            boolean health = pom.contains("<artifactId>quarkus-smallrye-health</artifactId>")
                    || (parentPom != null && Files.exists(parentPom)
                        && Files.readString(parentPom).contains("<artifactId>quarkus-smallrye-health</artifactId>"));
            if (!health) {
                problems.add(where + ": probes on " + new TreeSet<>(HEALTH_PATHS) + " but " + app + " does not depend on quarkus-smallrye-health");
            }
        } catch (IOException e) {
            problems.add(where + ": cannot read the pom of module " + app + ": " + e.getMessage());
        }
    }

    /** Every ${VAR} (upper-case, so an environment variable) the app's application.properties reads is set. */
    private void environment(String where, String app, JsonNode c, String namespace) {
        Path properties = ctx.projectRoot().resolve(app).resolve("src/main/resources/application.properties");
        if (!Files.exists(properties)) {
            problems.add(where + ": image of module " + app + " but " + properties + " does not exist");
            return;
        }
        Set<String> set = new TreeSet<>();
        c.path("env").forEach(e -> set.add(e.path("name").asText()));
        for (JsonNode envFrom : c.path("envFrom")) {
            String prefix = envFrom.path("prefix").asText("");
            JsonNode ref = envFrom.has("configMapRef") ? envFrom.path("configMapRef") : envFrom.path("secretRef");
            Map<String, Set<String>> known = envFrom.has("configMapRef") ? configMaps : secrets;
            known.getOrDefault(namespace + "/" + ref.path("name").asText(), Set.of()).forEach(k -> set.add(prefix + k));
        }
        for (String variable : readVariables(properties)) {
            if (!set.contains(variable)) {
                problems.add(where + ": " + app + " reads ${" + variable + "} (application.properties) but the container does not set it");
            }
        }
    }

    static Set<String> readVariables(Path properties) {
        Set<String> vars = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(properties)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                Matcher m = PLACEHOLDER.matcher(line);
                while (m.find()) {
                    vars.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vars;
    }

    private void services() {
        for (ObjectNode s : ofKind("Service")) {
            String where = Documents.describe(s);
            JsonNode selector = s.path("spec").path("selector");
            if (selector.isMissingNode() || selector.isEmpty()) {
                continue;
            }
            ObjectNode asLabelSelector = Documents.json().createObjectNode();
            asLabelSelector.set("matchLabels", selector);
            List<Pod> selected = podsSelectedBy(ns(s), asLabelSelector, true);
            if (selected.isEmpty()) {
                problems.add(where + ": selector " + selector + " selects no pod of the overlay");
                continue;
            }
            for (JsonNode port : s.path("spec").path("ports")) {
                String target = port.has("targetPort") ? port.path("targetPort").asText() : port.path("port").asText();
                for (Pod pod : selected) {
                    boolean found = containers(pod.spec()).stream().anyMatch(c -> portNames(c).contains(target));
                    if (!found) {
                        problems.add(where + ": targetPort " + target + " is not a container port of " + pod.owner());
                    }
                }
            }
        }
    }

    private void budgetsAndAutoscalers() {
        for (ObjectNode pdb : ofKind("PodDisruptionBudget")) {
            JsonNode selector = pdb.path("spec").path("selector");
            if (podsSelectedBy(ns(pdb), selector, true).isEmpty()) {
                problems.add(Documents.describe(pdb) + ": selector " + selector + " selects no pod of the overlay");
            }
        }
        Set<String> deployments = new TreeSet<>();
        ofKind("Deployment").forEach(d -> deployments.add(ns(d) + "/" + name(d)));
        for (ObjectNode hpa : ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            if (!target.path("kind").asText().equals("Deployment") || !deployments.contains(ns(hpa) + "/" + target.path("name").asText())) {
                problems.add(Documents.describe(hpa) + ": scaleTargetRef " + target.path("kind").asText() + "/"
                        + target.path("name").asText() + " is not a Deployment of the overlay");
                continue;
            }
            // a utilization target is a share of the request: without one the HPA never scales
            for (JsonNode metric : hpa.path("spec").path("metrics")) {
                String resource = metric.path("resource").path("name").asText();
                if (!metric.path("type").asText().equals("Resource")) {
                    continue;
                }
                ofKind("Deployment").stream().filter(d -> name(d).equals(target.path("name").asText()) && ns(d).equals(ns(hpa)))
                        .flatMap(d -> containers(d.path("spec").path("template").path("spec")).stream())
                        .filter(c -> c.path("resources").path("requests").path(resource).isMissingNode())
                        .forEach(c -> problems.add(Documents.describe(hpa) + ": scales on " + resource + " but container "
                                + c.path("name").asText() + " of Deployment/" + target.path("name").asText() + " requests no " + resource));
            }
        }
    }

    private void networkPolicies() {
        for (ObjectNode np : ofKind("NetworkPolicy")) {
            String where = Documents.describe(np);
            JsonNode selector = np.path("spec").path("podSelector");
            List<Pod> selected = podsSelectedBy(ns(np), selector, false);
            if (selected.isEmpty()) {
                problems.add(where + ": podSelector " + selector + " selects no pod of the overlay");
            }
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode rule : np.path("spec").path(direction)) {
                    for (JsonNode peer : rule.path(direction.equals("ingress") ? "from" : "to")) {
                        // a peer in this namespace must name pods that exist: a typo would silently cut a flow
                        if (peer.has("podSelector") && !peer.has("namespaceSelector")
                                && podsSelectedBy(ns(np), peer.path("podSelector"), false).isEmpty()) {
                            problems.add(where + ": " + direction + " peer podSelector " + peer.path("podSelector") + " selects no pod of the overlay");
                        }
                    }
                    if (direction.equals("ingress")) {
                        for (JsonNode port : rule.path("ports")) {
                            String p = port.path("port").asText();
                            if (!p.chars().allMatch(Character::isDigit)) {
                                for (Pod pod : selected) {
                                    if (pod.spec() != null && containers(pod.spec()).stream().noneMatch(c -> portNames(c).contains(p))) {
                                        problems.add(where + ": ingress port " + p + " is not a port of " + pod.owner());
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Strimzi writes the listener's NetworkPolicy from networkPolicyPeers: a peer that selects nothing locks clients out. */
    private void kafkaListenerPeers() {
        for (ObjectNode kafka : ofKind("Kafka")) {
            for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
                for (JsonNode peer : listener.path("networkPolicyPeers")) {
                    if (peer.has("podSelector") && !peer.has("namespaceSelector")
                            && podsSelectedBy(ns(kafka), peer.path("podSelector"), false).isEmpty()) {
                        problems.add(Documents.describe(kafka) + ": listener " + listener.path("name").asText()
                                + " networkPolicyPeers podSelector " + peer.path("podSelector") + " selects no pod of the overlay");
                    }
                }
            }
        }
    }

    /** CloudNativePG's managed roles read their password from a basic-auth Secret the overlay must provide. */
    private void cnpgSecrets() {
        for (ObjectNode cluster : ofKind("Cluster")) {
            for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
                JsonNode ref = role.path("passwordSecret");
                if (ref.isMissingNode()) {
                    continue;
                }
                String where = Documents.describe(cluster) + " role " + role.path("name").asText();
                Set<String> keys = secrets.get(ns(cluster) + "/" + ref.path("name").asText());
                if (keys == null) {
                    problems.add(where + ": passwordSecret " + ref.path("name").asText() + " does not exist in the overlay");
                } else if (!keys.containsAll(Set.of("username", "password"))) {
                    problems.add(where + ": passwordSecret " + ref.path("name").asText() + " lacks username or password (keys: " + keys + ")");
                }
            }
        }
    }

    /** Auto-creation is off: every topic an app consumes or parks to must be a KafkaTopic. */
    private void topics() {
        Set<String> declared = new TreeSet<>();
        for (ObjectNode t : ofKind("KafkaTopic")) {
            declared.add(t.path("spec").has("topicName") ? t.path("spec").path("topicName").asText() : name(t));
        }
        Set<String> apps = new TreeSet<>();
        pods.stream().filter(p -> p.spec() != null).forEach(p -> containers(p.spec()).forEach(c -> app(c).ifPresent(apps::add)));
        for (String app : apps) {
            Path properties = ctx.projectRoot().resolve(app).resolve("src/main/resources/application.properties");
            if (!Files.exists(properties)) {
                continue;
            }
            try {
                String text = Files.readString(properties);
                Set<String> used = new TreeSet<>();
                Matcher m = TOPIC.matcher(text);
                while (m.find()) {
                    used.add(m.group(2));
                    // the consumer parks what it cannot apply on <consumer>.<topic>.dlq; the consumer is the group
                    Matcher group = Pattern.compile("^mp\\.messaging\\.incoming\\." + Pattern.quote(m.group(1))
                            + "\\.group\\.id\\s*=\\s*(\\S+)", Pattern.MULTILINE).matcher(text);
                    if (group.find()) {
                        used.add(group.group(1) + "." + m.group(2) + ".dlq");
                    }
                }
                for (String topic : used) {
                    if (!declared.contains(topic)) {
                        problems.add(app + " uses topic " + topic + " (application.properties) but no KafkaTopic declares it");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
