package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Each overlay renders with a real kubectl kustomize and passes every check; and says what the issue asks. */
class OverlaysTest {

    static final List<String> OVERLAYS = Overlays.ALL;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rendersAndPassesEveryCheck(String overlay) {
        List<ObjectNode> docs = Overlays.render(overlay);

        assertThat(docs).hasSizeGreaterThan(30);
        assertThat(Overlays.check(docs, Overlays.context(overlay))).as("problems of overlay " + overlay).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyWorkloadHasItsPartsAndOneNamespace(String overlay) {
        List<ObjectNode> docs = Overlays.render(overlay);

        assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("Namespace")).hasSize(1);
        String namespace = name(kind(docs, "Namespace").get(0));
        assertThat(docs).filteredOn(d -> !d.path("kind").asText().equals("Namespace"))
                .allSatisfy(d -> assertThat(d.path("metadata").path("namespace").asText()).isEqualTo(namespace));
        for (String app : List.of("order-app", "inventory-app", "coupon-app", "outbox-relay")) {
            for (String kind : List.of("Deployment", "Service", "ServiceAccount", "NetworkPolicy")) {
                assertThat(names(docs, kind)).as(kind + " of " + app + " in " + overlay).contains(app);
            }
        }
        assertThat(deployment(docs, "outbox-relay").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(env(deployment(docs, "outbox-relay"), "RELAY_INSTANCE_ID").path("valueFrom").path("fieldRef").path("fieldPath").asText())
                .isEqualTo("metadata.name");
        assertThat(names(docs, "KafkaTopic")).containsExactlyInAnyOrder("orders.events", "inventory.events", "coupons.events",
                "order-app.inventory.events.dlq", "order-app.coupons.events.dlq", "inventory-app.orders.events.dlq",
                "coupon-app.orders.events.dlq", "order-app.orders.events.dlq");
        JsonNode kafka = kind(docs, "Kafka").get(0);
        assertThat(kafka.path("spec").path("kafka").path("config").path("auto.create.topics.enable").asBoolean(true)).isFalse();
        JsonNode pg = kind(docs, "Cluster").get(0);
        assertThat(pg.path("spec").path("postgresql").path("parameters").path("wal_level").asText()).isEqualTo("logical");
        assertThat(names(docs, "Database")).containsExactlyInAnyOrder("orders", "inventory", "coupons");
        assertThat(pg.path("spec").path("bootstrap").path("initdb").path("database").asText()).isEqualTo("relay");
        // least privilege: no service role may replicate; the relay is the only one (see k8s/README.md)
        assertThat(pg.path("spec").path("managed").path("roles")).allSatisfy(r -> assertThat(r.path("replication").asBoolean()).isFalse());
    }

    @Test
    void devIsOneKafkaNodeWithBothRoles() {
        List<ObjectNode> docs = Overlays.render("dev");

        JsonNode pool = kind(docs, "KafkaNodePool").get(0);
        assertThat(pool.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(texts(pool.path("spec").path("roles"))).containsExactlyInAnyOrder("controller", "broker");
        assertThat(kind(docs, "Cluster").get(0).path("spec").path("instances").asInt()).isEqualTo(1);
    }

    @Test
    void prodIsReplicatedSpreadBudgetedAndScaled() {
        List<ObjectNode> docs = Overlays.render("prod");

        assertThat(kind(docs, "KafkaNodePool").get(0).path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode config = kind(docs, "Kafka").get(0).path("spec").path("kafka").path("config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(kind(docs, "KafkaTopic")).allSatisfy(t -> {
            assertThat(t.path("spec").path("replicas").asInt()).isEqualTo(3);
            assertThat(t.path("spec").path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
        });
        JsonNode pg = kind(docs, "Cluster").get(0).path("spec");
        assertThat(pg.path("instances").asInt()).isEqualTo(3);
        assertThat(pg.path("replicationSlots").path("highAvailability").path("synchronizeLogicalDecoding").asBoolean()).isTrue();
        assertThat(pg.path("postgresql").path("parameters").path("hot_standby_feedback").asText()).isEqualTo("on");
        assertThat(env(job(docs, "outbox-db-setup"), "SLOT_FAILOVER").path("value").asText()).isEqualTo("true");
        assertThat(env(deployment(docs, "outbox-relay"), SlotFailoverEnvTest.VARIABLE).path("value").asText()).isEqualTo("true");
        assertThat(names(docs, "PodDisruptionBudget")).containsExactlyInAnyOrder("order-app", "inventory-app", "coupon-app", "outbox-relay");
        assertThat(kind(docs, "HorizontalPodAutoscaler")).extracting(h -> h.path("spec").path("scaleTargetRef").path("name").asText())
                .containsExactlyInAnyOrder("order-app", "inventory-app", "coupon-app");
        for (String app : List.of("order-app", "inventory-app", "coupon-app")) {
            JsonNode pod = deployment(docs, app).path("spec").path("template").path("spec");
            assertThat(pod.path("topologySpreadConstraints")).as(app).isNotEmpty();
            assertThat(pod.path("containers").get(0).path("resources").path("requests").path("cpu").isMissingNode()).isFalse();
        }
        assertThat(deployment(docs, "outbox-relay").path("spec").path("template").path("spec").path("affinity")
                .path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")).isNotEmpty();
    }

    static List<ObjectNode> kind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    static Set<String> names(List<ObjectNode> docs, String kind) {
        Set<String> names = new TreeSet<>();
        kind(docs, kind).forEach(d -> names.add(name(d)));
        return names;
    }

    static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    static ObjectNode deployment(List<ObjectNode> docs, String name) {
        return kind(docs, "Deployment").stream().filter(d -> name(d).equals(name)).findFirst().orElseThrow();
    }

    static ObjectNode job(List<ObjectNode> docs, String name) {
        return kind(docs, "Job").stream().filter(d -> name(d).equals(name)).findFirst().orElseThrow();
    }

    static JsonNode env(JsonNode workload, String variable) {
        for (JsonNode e : workload.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals(variable)) {
                return e;
            }
        }
        throw new AssertionError(name(workload) + " does not set " + variable);
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new java.util.ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
