package dev.ordersaga.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of CloudNativePG's API our manifests use, as strict types: API version postgresql.cnpg.io/v1 as of
 * CloudNativePG 1.27 (api/v1/cluster_types.go, database_types.go). CloudNativePG publishes no Java model; a field
 * missing here fails the check, so adding one to a manifest means adding it here, with its JSON name and type
 * as the operator's Go types declare them. Enumerations are the values the CRD admits.
 */
final class Cnpg {

    static final String API_VERSION = "postgresql.cnpg.io/v1";

    private Cnpg() {
    }

    record Cluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {
        Cluster {
            Objects.requireNonNull(spec, "spec is required");
        }
    }

    record ClusterSpec(Integer instances, String imageName, PostgresConfiguration postgresql,
                       ReplicationSlots replicationSlots, Bootstrap bootstrap, Managed managed, Storage storage,
                       Affinity affinity, ResourceRequirements resources, Boolean enableSuperuserAccess) {
        ClusterSpec {
            if (instances == null || instances < 1) {
                throw new IllegalArgumentException("spec.instances must be at least 1");
            }
            Objects.requireNonNull(storage, "spec.storage is required");
        }
    }

    /** PostgreSQL parameters are strings in the CRD (map[string]string): "16", not 16. */
    record PostgresConfiguration(Map<String, String> parameters, Synchronous synchronous) {
    }

    record Synchronous(SyncMethod method, Integer number, DataDurability dataDurability) {
        Synchronous {
            Objects.requireNonNull(method, "synchronous.method is required");
            Objects.requireNonNull(number, "synchronous.number is required");
        }
    }

    enum SyncMethod {
        @JsonProperty("any") ANY,
        @JsonProperty("first") FIRST
    }

    enum DataDurability {
        @JsonProperty("required") REQUIRED,
        @JsonProperty("preferred") PREFERRED
    }

    record ReplicationSlots(HighAvailability highAvailability) {
    }

    /** synchronizeLogicalDecoding: 1.27+, PostgreSQL 17+: sync_replication_slots on the standbys. */
    record HighAvailability(Boolean enabled, String slotPrefix, Boolean synchronizeLogicalDecoding) {
    }

    record Bootstrap(InitDb initdb) {
    }

    record InitDb(String database, String owner, LocalObjectReference secret, List<String> postInitSQL,
                  List<String> postInitApplicationSQL) {
    }

    record Managed(List<Role> roles) {
    }

    record Role(String name, Ensure ensure, String comment, Boolean login, Boolean replication, Boolean superuser,
                Boolean createdb, Boolean createrole, Boolean inherit, Boolean bypassrls, Integer connectionLimit,
                LocalObjectReference passwordSecret, Boolean disablePassword, List<String> inRoles) {
        Role {
            Objects.requireNonNull(name, "managed.roles[].name is required");
        }
    }

    enum Ensure {
        @JsonProperty("present") PRESENT,
        @JsonProperty("absent") ABSENT
    }

    record LocalObjectReference(String name) {
        LocalObjectReference {
            Objects.requireNonNull(name, "name is required");
        }
    }

    record Storage(String size, String storageClass, Boolean resizeInUseVolumes) {
    }

    record Affinity(Boolean enablePodAntiAffinity, AntiAffinityType podAntiAffinityType, String topologyKey,
                    Map<String, String> nodeSelector) {
    }

    enum AntiAffinityType {
        @JsonProperty("preferred") PREFERRED,
        @JsonProperty("required") REQUIRED
    }

    record Database(String apiVersion, String kind, ObjectMeta metadata, DatabaseSpec spec) {
        Database {
            Objects.requireNonNull(spec, "spec is required");
        }
    }

    record DatabaseSpec(LocalObjectReference cluster, String name, String owner, Ensure ensure,
                        ReclaimPolicy databaseReclaimPolicy) {
        DatabaseSpec {
            Objects.requireNonNull(cluster, "spec.cluster is required");
            Objects.requireNonNull(name, "spec.name is required");
            Objects.requireNonNull(owner, "spec.owner is required");
        }
    }

    enum ReclaimPolicy {
        @JsonProperty("retain") RETAIN,
        @JsonProperty("delete") DELETE
    }
}
