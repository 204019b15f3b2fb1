package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kosmos' Multi-Cluster Services, the lab's way: a Service of the host with a {@code ServiceExport}
 * of the same name is offered to the members; a member with a {@code ServiceImport} of that name
 * (type {@code ClusterSetIP}, the Service's ports) gets the Service itself — same namespace and name,
 * no selector, label {@value #IMPORTED} — and an EndpointSlice ({@code kubernetes.io/service-name})
 * holding the addresses of the host Service's ready pods. Without the export or the import the
 * member has neither; pods there that need the Service stay unready (see {@link MysqlProbe}).
 */
final class KosmosServices {

  static final String IMPORTED = "kosmos.io/service-import";
  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";

  private final KubernetesClient host;
  private final Map<String, MemberCluster> members;

  KosmosServices(KubernetesClient host, Map<String, MemberCluster> members) {
    this.host = host;
    this.members = members;
  }

  /** Makes every member's imported Services match the host's exports. */
  void sync() {
    Map<String, GenericKubernetesResource> exports = byKey(host.genericKubernetesResources(
        KosmosDefinitions.SERVICE_EXPORT).inAnyNamespace().list().getItems());
    Set<String> imported = new HashSet<>();
    for (MemberCluster member : members.values()) {
      sync(member, exports, imported);
    }
    exports.values().forEach(this::exportStatus);
  }

  private void sync(MemberCluster member, Map<String, GenericKubernetesResource> exports, Set<String> imported) {
    KubernetesClient leaf = member.client();
    Set<String> changed = new TreeSet<>();
    Set<String> wanted = new HashSet<>();
    for (GenericKubernetesResource serviceImport : leaf.genericKubernetesResources(KosmosDefinitions.SERVICE_IMPORT)
        .inAnyNamespace().list().getItems()) {
      String ns = serviceImport.getMetadata().getNamespace();
      String name = serviceImport.getMetadata().getName();
      Service source = exports.containsKey(key(serviceImport))
          ? host.services().inNamespace(ns).withName(name).get() : null;
      boolean matches = source != null && matches(serviceImport, source);
      if (matches) {
        wanted.add(ns + "/" + name);
        imported.add(ns + "/" + name);
        if (apply(leaf, source, endpoints(source))) {
          changed.add(ns);
        }
      }
      importStatus(leaf, serviceImport, matches);
    }
    for (Service service : leaf.services().inAnyNamespace().withLabel(IMPORTED, "true").list().getItems()) {
      String ns = service.getMetadata().getNamespace();
      if (!wanted.contains(ns + "/" + service.getMetadata().getName())) {
        leaf.discovery().v1().endpointSlices().inNamespace(ns).withLabel(SERVICE_NAME, service.getMetadata().getName())
            .withLabel(IMPORTED, "true").list().getItems()
            .forEach(slice -> quietly(() -> leaf.discovery().v1().endpointSlices().resource(slice).delete()));
        quietly(() -> leaf.services().resource(service).delete());
        changed.add(ns);
      }
    }
    changed.forEach(member::recheck);
  }

  /** Type ClusterSetIP (or Headless) and the same ports as the exported Service. */
  private static boolean matches(GenericKubernetesResource serviceImport, Service source) {
    Map<String, Object> spec = MysqlObjects.map(serviceImport.getAdditionalProperties().get("spec"));
    String type = Objects.toString(spec.get("type"), "ClusterSetIP");
    boolean headless = "None".equals(source.getSpec().getClusterIP());
    if (!(type.equals("ClusterSetIP") && !headless) && !(type.equals("Headless") && headless)) {
      return false;
    }
    Set<String> wanted = new TreeSet<>();
    if (spec.get("ports") instanceof List<?> ports) {
      ports.forEach(p -> wanted.add(port(MysqlObjects.map(p).get("port"), MysqlObjects.map(p).get("protocol"))));
    }
    Set<String> offered = new TreeSet<>();
    source.getSpec().getPorts().forEach(p -> offered.add(port(p.getPort(), p.getProtocol())));
    return wanted.equals(offered);
  }

  private static String port(Object number, Object protocol) {
    return number + "/" + Objects.toString(protocol, "TCP");
  }

  /** The host pods behind the Service that are ready: the addresses a member may reach. */
  private List<Pod> endpoints(Service source) {
    Map<String, String> selector = source.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    return host.pods().inNamespace(source.getMetadata().getNamespace()).withLabels(selector).list().getItems()
        .stream().filter(p -> PodObjects.ready(p) && p.getStatus().getPodIP() != null).toList();
  }

  /** Creates or updates the imported Service and its EndpointSlice; answers whether the Service is new. */
  private boolean apply(KubernetesClient leaf, Service source, List<Pod> pods) {
    String ns = source.getMetadata().getNamespace();
    String name = source.getMetadata().getName();
    if (leaf.namespaces().withName(ns).get() == null) {
      leaf.namespaces().resource(WorkloadObjects.namespace(ns)).create();
    }
    boolean created = false;
    if (leaf.services().inNamespace(ns).withName(name).get() == null) {
      leaf.services().resource(new ServiceBuilder()
          .withNewMetadata().withName(name).withNamespace(ns).addToLabels(IMPORTED, "true")
          .addToAnnotations("kosmos.io/auto-create-mcs", "true").endMetadata()
          .withNewSpec().withType("ClusterIP")
          .withClusterIP("None".equals(source.getSpec().getClusterIP()) ? "None"
              : MysqlObjects.clusterIp("imported/" + ns + "/" + name))
          .withPorts(source.getSpec().getPorts().stream().map(p -> new io.fabric8.kubernetes.api.model.ServicePortBuilder(p)
              .withNodePort(null).build()).toList())
          .endSpec().build()).create();
      created = true;
    }
    EndpointSlice slice = slice(source, pods);
    EndpointSlice current = leaf.discovery().v1().endpointSlices().inNamespace(ns)
        .withName(slice.getMetadata().getName()).get();
    if (current == null) {
      leaf.discovery().v1().endpointSlices().resource(slice).create();
    } else if (!Objects.equals(current.getEndpoints(), slice.getEndpoints())
        || !Objects.equals(current.getPorts(), slice.getPorts())) {
      leaf.discovery().v1().endpointSlices().inNamespace(ns).withName(slice.getMetadata().getName())
          .edit(s -> new EndpointSliceBuilder(s).withEndpoints(slice.getEndpoints()).withPorts(slice.getPorts()).build());
    }
    return created;
  }

  private static EndpointSlice slice(Service source, List<Pod> pods) {
    EndpointSliceBuilder slice = new EndpointSliceBuilder()
        .withNewMetadata().withName(source.getMetadata().getName() + "-kosmos")
        .withNamespace(source.getMetadata().getNamespace())
        .addToLabels(SERVICE_NAME, source.getMetadata().getName()).addToLabels(IMPORTED, "true")
        .addToLabels(MANAGED_BY, "kosmos.io/clustertree").endMetadata()
        .withAddressType("IPv4");
    for (ServicePort port : source.getSpec().getPorts()) {
      Integer target = port.getTargetPort() != null && port.getTargetPort().getIntVal() != null
          ? port.getTargetPort().getIntVal() : port.getPort();
      slice.addNewPort().withName(port.getName()).withPort(target).withProtocol(port.getProtocol()).endPort();
    }
    for (Pod pod : pods) {
      slice.addNewEndpoint().withAddresses(pod.getStatus().getPodIP())
          .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
          .withNewTargetRef().withKind("Pod").withName(pod.getMetadata().getName())
          .withNamespace(pod.getMetadata().getNamespace()).endTargetRef()
          .endEndpoint();
    }
    return slice.build();
  }

  private void importStatus(KubernetesClient leaf, GenericKubernetesResource serviceImport, boolean imported) {
    Map<String, Object> status = imported ? Map.of("clusters", List.of(Map.of("cluster", "host"))) : Map.of();
    Object old = serviceImport.getAdditionalProperties().get("status");
    if (!Objects.equals(old == null ? Map.of() : old, status)) {
      StatusPatch.write(leaf.genericKubernetesResources(KosmosDefinitions.SERVICE_IMPORT)
          .inNamespace(serviceImport.getMetadata().getNamespace()).withName(serviceImport.getMetadata().getName()),
          serviceImport, status);
    }
  }

  private void exportStatus(GenericKubernetesResource export) {
    boolean valid = host.services().inNamespace(export.getMetadata().getNamespace())
        .withName(export.getMetadata().getName()).get() != null;
    Map<String, Object> old = MysqlObjects.map(export.getAdditionalProperties().get("status"));
    Object previous = old.get("conditions") instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
    String value = valid ? "True" : "False";
    if (value.equals(MysqlObjects.map(previous).get("status"))) {
      return;
    }
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", "Valid");
    condition.put("status", value);
    condition.put("reason", valid ? "ServiceExported" : "ServiceNotFound");
    condition.put("message", valid ? "the service is exported to the member clusters that import it"
        : "service " + export.getMetadata().getName() + " not found");
    condition.put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    StatusPatch.write(host.genericKubernetesResources(KosmosDefinitions.SERVICE_EXPORT)
        .inNamespace(export.getMetadata().getNamespace()).withName(export.getMetadata().getName()), export,
        Map.of("conditions", List.of(condition)));
  }

  private static Map<String, GenericKubernetesResource> byKey(List<GenericKubernetesResource> objects) {
    Map<String, GenericKubernetesResource> map = new LinkedHashMap<>();
    objects.forEach(o -> map.put(key(o), o));
    return map;
  }

  private static String key(GenericKubernetesResource o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static void quietly(Runnable deletion) {
    try {
      deletion.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
