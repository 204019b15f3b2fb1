package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The resource types the lab serves: the built-in ones a Proton platform uses plus one per custom
 * resource definition stored in the server. Built-in types come first and in creation order
 * (namespaces and cluster-scoped objects before what lives in them), so a restore or a wipe can walk
 * the list front to back (or back to front).
 */
final class ApiCatalog {

  private static final List<String> SCALE = List.of("scale", "status");
  private static final List<String> STATUS = List.of("status");

  static final ApiResourceType NAMESPACES = core("namespaces", "Namespace", false, List.of("ns"), STATUS);
  static final ApiResourceType NODES = core("nodes", "Node", false, List.of("no"), STATUS);
  static final ApiResourceType PERSISTENT_VOLUMES = core("persistentvolumes", "PersistentVolume", false, List.of("pv"), STATUS);
  static final ApiResourceType CRDS = new ApiResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
      "customresourcedefinition", "CustomResourceDefinition", false, List.of("crd", "crds"), STATUS);
  static final ApiResourceType STORAGE_CLASSES = new ApiResourceType("storage.k8s.io", "v1", "storageclasses",
      "storageclass", "StorageClass", false, List.of("sc"), List.of());
  static final ApiResourceType PODS = core("pods", "Pod", true, List.of("po"), List.of("status", "log", "eviction"));
  static final ApiResourceType SECRETS = core("secrets", "Secret", true, List.of(), List.of());
  static final ApiResourceType STATEFUL_SETS = apps("statefulsets", "StatefulSet", List.of("sts"));
  static final ApiResourceType DEPLOYMENTS = apps("deployments", "Deployment", List.of("deploy"));
  static final ApiResourceType DAEMON_SETS = new ApiResourceType("apps", "v1", "daemonsets", "daemonset", "DaemonSet",
      true, List.of("ds"), STATUS);

  private static final List<ApiResourceType> BUILT_IN = List.of(
      NAMESPACES,
      NODES,
      PERSISTENT_VOLUMES,
      STORAGE_CLASSES,
      CRDS,
      core("serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of()),
      core("configmaps", "ConfigMap", true, List.of("cm"), List.of()),
      SECRETS,
      core("services", "Service", true, List.of("svc"), STATUS),
      core("endpoints", "Endpoints", true, List.of("ep"), List.of()),
      new ApiResourceType("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true,
          List.of(), List.of()),
      core("persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), STATUS),
      core("events", "Event", true, List.of("ev"), List.of()),
      DEPLOYMENTS,
      STATEFUL_SETS,
      DAEMON_SETS,
      apps("replicasets", "ReplicaSet", List.of("rs")),
      new ApiResourceType("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget",
          true, List.of("pdb"), STATUS),
      PODS);

  private ApiCatalog() {}

  /** Built-in types in creation order, with the given custom types right after the CRDs. */
  static List<ApiResourceType> withCustom(List<ApiResourceType> custom) {
    List<ApiResourceType> all = new ArrayList<>(BUILT_IN);
    all.addAll(all.indexOf(CRDS) + 1, custom);
    return all;
  }

  /** The type a custom resource definition defines, in its storage version. */
  static Optional<ApiResourceType> fromCrd(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    if (spec == null || spec.getNames() == null || spec.getVersions() == null) {
      return Optional.empty();
    }
    return spec.getVersions().stream()
        .filter(v -> Boolean.TRUE.equals(v.getStorage()) || spec.getVersions().size() == 1)
        .map(CustomResourceDefinitionVersion::getName)
        .findFirst()
        .map(version -> new ApiResourceType(spec.getGroup(), version, spec.getNames().getPlural(),
            Optional.ofNullable(spec.getNames().getSingular()).orElse(spec.getNames().getKind().toLowerCase()),
            spec.getNames().getKind(), !"Cluster".equals(spec.getScope()),
            Optional.ofNullable(spec.getNames().getShortNames()).orElse(List.of()), List.of()));
  }

  private static ApiResourceType core(String plural, String kind, boolean namespaced, List<String> shortNames,
      List<String> subresources) {
    return new ApiResourceType("", "v1", plural, kind.toLowerCase(), kind, namespaced, shortNames, subresources);
  }

  private static ApiResourceType apps(String plural, String kind, List<String> shortNames) {
    return new ApiResourceType("apps", "v1", plural, kind.toLowerCase(), kind, true, shortNames, SCALE);
  }

  static Stream<String> groups(List<ApiResourceType> types) {
    return types.stream().map(ApiResourceType::group).filter(g -> !g.isEmpty()).distinct();
  }
}
