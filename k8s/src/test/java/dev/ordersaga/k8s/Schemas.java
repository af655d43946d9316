package dev.ordersaga.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict schema checks: each document is read into the typed model of its apiVersion and kind (fabric8 for
 * Kubernetes, Strimzi's io.strimzi:api, {@link Cnpg} for CloudNativePG), and any field the model does not know,
 * at any depth, is a problem. A kind without a model is a problem too: nothing goes unchecked.
 */
final class Schemas {

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry(Cnpg.API_VERSION + "/Cluster", Cnpg.Cluster.class),
            Map.entry(Cnpg.API_VERSION + "/Database", Cnpg.Database.class));

    /** As strict as the API server: no "8080" for an int, no 1.5 for an int, no 8080 for a string, no unknown fields. */
    static final ObjectMapper MAPPER = strictMapper();

    private Schemas() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    static List<String> check(List<ObjectNode> docs) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode doc : docs) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<?> model = MODELS.get(type);
            String where = Documents.describe(doc);
            if (model == null) {
                problems.add(where + ": no model for " + type + " (add one to Schemas, or fix apiVersion/kind)");
                continue;
            }
            Object parsed;
            try {
                parsed = MAPPER.treeToValue(doc, model);
            } catch (JsonMappingException e) {
                problems.add(where + ": " + e.getOriginalMessage() + " at " + path(e));
                continue;
            } catch (Exception e) {
                problems.add(where + ": " + e.getMessage());
                continue;
            }
            unknownFields(parsed, "", problems, where, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return problems;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return sb.isEmpty() ? "(top)" : sb.substring(sb.charAt(0) == '.' ? 1 : 0);
    }

    /**
     * Fabric8 and Strimzi keep fields they do not know in {@code additionalProperties} instead of failing: walk
     * every model object and report any that holds one.
     */
    private static void unknownFields(Object o, String path, List<String> problems, String where, Set<Object> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o.getClass().isPrimitive() || !seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, where, seen));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems, where, seen);
            }
            return;
        }
        Class<?> type = o.getClass();
        if (!isModel(type)) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                unknownFields(invoke(c.getAccessor(), o), path + "." + c.getName(), problems, where, seen);
            }
            return;
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            if (name.equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) invoke(m, o);
                if (extra != null && !extra.isEmpty()) {
                    problems.add(where + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "(top)" : path.substring(1)));
                }
            } else if (name.startsWith("get") && name.length() > 3 && !m.isBridge()) {
                String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                unknownFields(invoke(m, o), path + "." + field, problems, where, seen);
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String p = type.getPackageName();
        return p.startsWith("io.fabric8.kubernetes.api.model") || p.startsWith("io.strimzi.api") || p.startsWith("dev.ordersaga.k8s");
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
