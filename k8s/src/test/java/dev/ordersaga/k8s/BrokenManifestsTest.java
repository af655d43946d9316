package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static dev.ordersaga.k8s.OverlaysTest.deployment;
import static dev.ordersaga.k8s.OverlaysTest.env;
import static dev.ordersaga.k8s.OverlaysTest.kind;
import static org.assertj.core.api.Assertions.assertThat;

/** The checker fails on each kind of broken manifest, and names the problem: a check that cannot fail is none. */
class BrokenManifestsTest {

    /** Breaks one thing in a fresh copy of the prod overlay and returns what the checker says. */
    private static List<String> problemsAfter(Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> docs = Overlays.render("prod");
        breakIt.accept(docs);
        return Overlays.check(docs, Overlays.context("prod"));
    }

    private static ObjectNode container(ObjectNode workload) {
        return (ObjectNode) workload.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static ObjectNode named(List<ObjectNode> docs, String kind, String name) {
        return kind(docs, kind).stream().filter(d -> OverlaysTest.name(d).equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theUnbrokenOverlayHasNoProblem() {
        assertThat(problemsAfter(docs -> { })).isEmpty();
    }

    @Test
    void unknownFieldDeepInAKubernetesKind() {
        assertThat(problemsAfter(docs -> container(deployment(docs, "order-app")).put("imagePullPolicyy", "Always")))
                .anySatisfy(p -> assertThat(p).contains("Deployment/order-app").contains("imagePullPolicyy")
                        .contains("spec.template.spec.containers[0]"));
    }

    @Test
    void unknownFieldInAStrimziKind() {
        assertThat(problemsAfter(docs -> ((ObjectNode) kind(docs, "Kafka").get(0).path("spec").path("kafka")).put("replicationFactor", 3)))
                .anySatisfy(p -> assertThat(p).contains("Kafka/events").contains("replicationFactor").contains("spec.kafka"));
    }

    @Test
    void unknownFieldInACloudNativePgKind() {
        assertThat(problemsAfter(docs -> ((ObjectNode) kind(docs, "Cluster").get(0).path("spec").path("replicationSlots")
                .path("highAvailability")).put("synchroniseLogicalDecoding", true)))
                .anySatisfy(p -> assertThat(p).contains("Cluster/pg").contains("synchroniseLogicalDecoding"));
    }

    @Test
    void wrongTypeAndUnknownEnumValue() {
        assertThat(problemsAfter(docs -> ((ObjectNode) container(deployment(docs, "order-app")).path("ports").get(0)).put("containerPort", "8080")))
                .anySatisfy(p -> assertThat(p).contains("Deployment/order-app").contains("containerPort"));
        assertThat(problemsAfter(docs -> ((ObjectNode) kind(docs, "Cluster").get(0).path("spec").path("affinity")).put("podAntiAffinityType", "always")))
                .anySatisfy(p -> assertThat(p).contains("Cluster/pg").contains("podAntiAffinityType"));
    }

    @Test
    void aKindWithoutModel() {
        assertThat(problemsAfter(docs -> kind(docs, "Service").get(0).put("apiVersion", "v2")))
                .anySatisfy(p -> assertThat(p).contains("no model for v2/Service"));
    }

    @Test
    void deploymentSelectorNotMatchingItsPods() {
        assertThat(problemsAfter(docs -> ((ObjectNode) deployment(docs, "coupon-app").path("spec").path("selector").path("matchLabels"))
                .put("app.kubernetes.io/name", "coupons")))
                .anySatisfy(p -> assertThat(p).contains("Deployment/coupon-app").contains("does not match the pod template"));
    }

    @Test
    void serviceSelectingNothing() {
        assertThat(problemsAfter(docs -> ((ObjectNode) named(docs, "Service", "inventory-app").path("spec").path("selector"))
                .put("app.kubernetes.io/name", "inventory")))
                .anySatisfy(p -> assertThat(p).contains("Service/inventory-app").contains("selects no pod"));
    }

    @Test
    void serviceTargetPortNotAContainerPort() {
        assertThat(problemsAfter(docs -> ((ObjectNode) named(docs, "Service", "order-app").path("spec").path("ports").get(0)).put("targetPort", 8081)))
                .anySatisfy(p -> assertThat(p).contains("Service/order-app").contains("targetPort 8081"));
    }

    @Test
    void budgetSelectingNothingAndAutoscalerWithoutTarget() {
        assertThat(problemsAfter(docs -> {
            ((ObjectNode) named(docs, "PodDisruptionBudget", "outbox-relay").path("spec").path("selector").path("matchLabels"))
                    .put("app.kubernetes.io/name", "relay");
            ((ObjectNode) named(docs, "HorizontalPodAutoscaler", "coupon-app").path("spec").path("scaleTargetRef")).put("name", "coupons");
        })).anySatisfy(p -> assertThat(p).contains("PodDisruptionBudget/outbox-relay").contains("selects no pod"))
                .anySatisfy(p -> assertThat(p).contains("HorizontalPodAutoscaler/coupon-app").contains("Deployment/coupons"));
    }

    @Test
    void autoscalerOnCpuOfAContainerWithoutCpuRequest() {
        assertThat(problemsAfter(docs -> ((ObjectNode) container(deployment(docs, "order-app")).path("resources").path("requests")).remove("cpu")))
                .anySatisfy(p -> assertThat(p).contains("HorizontalPodAutoscaler/order-app").contains("requests no cpu"));
    }

    @Test
    void kafkaListenerPeerSelectingNothing() {
        assertThat(problemsAfter(docs -> {
            ArrayNode values = (ArrayNode) kind(docs, "Kafka").get(0).path("spec").path("kafka").path("listeners").get(0)
                    .path("networkPolicyPeers").get(0).path("podSelector").path("matchExpressions").get(0).path("values");
            values.removeAll();
            values.add("relay");
        })).anySatisfy(p -> assertThat(p).contains("Kafka/events").contains("networkPolicyPeers").contains("selects no pod"));
    }

    @Test
    void networkPolicyPeerSelectingNothing() {
        assertThat(problemsAfter(docs -> ((ObjectNode) named(docs, "NetworkPolicy", "order-app").path("spec").path("egress").get(0)
                .path("to").get(0).path("podSelector").path("matchLabels")).put("cnpg.io/cluster", "postgres")))
                .anySatisfy(p -> assertThat(p).contains("NetworkPolicy/order-app").contains("egress peer").contains("selects no pod"));
    }

    @Test
    void missingSecretKeyMissingSecretAndMissingConfigMap() {
        assertThat(problemsAfter(docs -> {
            ((ObjectNode) env(deployment(docs, "order-app"), "DB_PASSWORD").path("valueFrom").path("secretKeyRef")).put("key", "pasword");
            ((ObjectNode) env(deployment(docs, "coupon-app"), "DB_USER").path("valueFrom").path("secretKeyRef")).put("name", "pg-coupon");
            ((ObjectNode) env(deployment(docs, "outbox-relay"), "DB_HOST").path("valueFrom").path("configMapKeyRef")).put("name", "connection");
        })).anySatisfy(p -> assertThat(p).contains("Deployment/order-app").contains("DB_PASSWORD").contains("has no key pasword"))
                .anySatisfy(p -> assertThat(p).contains("Deployment/coupon-app").contains("Secret pg-coupon does not exist"))
                .anySatisfy(p -> assertThat(p).contains("Deployment/outbox-relay").contains("ConfigMap connection does not exist"));
    }

    @Test
    void managedRoleWithoutItsSecret() {
        assertThat(problemsAfter(docs -> ((ObjectNode) kind(docs, "Cluster").get(0).path("spec").path("managed").path("roles").get(0)
                .path("passwordSecret")).put("name", "pg-order")))
                .anySatisfy(p -> assertThat(p).contains("role orders").contains("passwordSecret pg-order does not exist"));
    }

    @Test
    void variableTheAppReadsIsNotSet() {
        assertThat(problemsAfter(docs -> {
            ArrayNode envs = (ArrayNode) container(deployment(docs, "inventory-app")).path("env");
            for (int i = 0; i < envs.size(); i++) {
                if (envs.get(i).path("name").asText().equals("KAFKA_BOOTSTRAP_SERVERS")) {
                    envs.remove(i);
                }
            }
        })).anySatisfy(p -> assertThat(p).contains("Deployment/inventory-app").contains("${KAFKA_BOOTSTRAP_SERVERS}"));
    }

    @Test
    void probeOnAPathTheAppDoesNotServe() {
        assertThat(problemsAfter(docs -> ((ObjectNode) container(deployment(docs, "outbox-relay")).path("readinessProbe").path("httpGet"))
                .put("path", "/health")))
                .anySatisfy(p -> assertThat(p).contains("Deployment/outbox-relay").contains("readinessProbe path /health"));
    }

    @Test
    void latestOrMissingTagAndATagOtherThanTheBuilds() {
        assertThat(problemsAfter(docs -> {
            container(deployment(docs, "order-app")).put("image", "registry.example.com/order-saga/order-app:latest");
            container(deployment(docs, "coupon-app")).put("image", "registry.example.com/order-saga/coupon-app");
            container(deployment(docs, "inventory-app")).put("image", "registry.example.com/order-saga/inventory-app:0.0.9");
        })).anySatisfy(p -> assertThat(p).contains("order-app").contains("uses the tag latest"))
                .anySatisfy(p -> assertThat(p).contains("coupon-app").contains("has no tag"))
                .anySatisfy(p -> assertThat(p).contains("inventory-app:0.0.9").contains("not the tag the build gives"));
    }

    @Test
    void imageNamedOtherwiseThanTheBuildNamesIt() {
        assertThat(problemsAfter(docs -> container(deployment(docs, "order-app")).put("image", "ghcr.io/someone/order-app:0.1.0-SNAPSHOT")))
                .anySatisfy(p -> assertThat(p).contains("Deployment/order-app").contains("is not one the build makes"));
    }

    @Test
    void topicAnAppUsesIsNotDeclared() {
        assertThat(problemsAfter(docs -> docs.removeIf(d -> d.path("kind").asText().equals("KafkaTopic")
                && OverlaysTest.name(d).equals("coupon-app.orders.events.dlq"))))
                .anySatisfy(p -> assertThat(p).contains("coupon-app uses topic coupon-app.orders.events.dlq"));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        assertThat(problemsAfter(docs -> {
            container(deployment(docs, "order-app")).put("imagePullPolicyy", "Always");
            container(deployment(docs, "coupon-app")).put("image", "registry.example.com/order-saga/coupon-app:latest");
        })).hasSizeGreaterThanOrEqualTo(2);
    }
}
