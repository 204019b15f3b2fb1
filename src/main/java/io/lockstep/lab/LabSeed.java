package io.lockstep.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The lab platform as written in {@code config/lab/platform.yml}: nodes, units, base components,
 * host services and applications. Immutable; validated as a whole when loaded so that a broken
 * seed fails at start-up with a message naming the offending entry.
 */
public record LabSeed(
    Platform platform,
    List<Node> nodes,
    List<String> units,
    List<String> etcdUnits,
    List<Component> components,
    List<HostService> hostServices,
    List<OperatorDeployment> operatorDeployments,
    Apps apps,
    KubeSystem kubeSystem) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public LabSeed {
    Objects.requireNonNull(platform, "platform is missing");
    nodes = List.copyOf(nodes);
    units = List.copyOf(units == null ? List.of() : units);
    etcdUnits = List.copyOf(etcdUnits == null ? List.of() : etcdUnits);
    components = List.copyOf(components == null ? List.of() : components);
    hostServices = List.copyOf(hostServices == null ? List.of() : hostServices);
    operatorDeployments = List.copyOf(operatorDeployments == null ? List.of() : operatorDeployments);
    apps = apps == null ? new Apps(List.of(), List.of(), List.of()) : apps;
    kubeSystem = kubeSystem == null ? new KubeSystem(List.of(), List.of(), List.of()) : kubeSystem;
    Set<String> names = nodes.stream().map(Node::name).collect(Collectors.toSet());
    if (names.size() != nodes.size()) {
      throw new IllegalArgumentException("lab seed: node names must be unique");
    }
    for (Component c : components) {
      for (String n : c.nodes()) {
        if (!names.contains(n)) {
          throw new IllegalArgumentException("lab seed: component " + c.name() + " names unknown node " + n);
        }
      }
    }
    for (HostService h : hostServices) {
      for (String n : h.nodes()) {
        if (!names.contains(n)) {
          throw new IllegalArgumentException("lab seed: host service " + h.name() + " names unknown node " + n);
        }
      }
    }
  }

  /** Reads and validates a seed file. */
  public static LabSeed read(InputStream in) throws IOException {
    ObjectMapper yaml = YAMLMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
    return yaml.readValue(in, LabSeed.class);
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public Optional<Component> component(String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The nodes that run an etcd member, in seed order. */
  public List<Node> etcdNodes() {
    return nodes.stream().filter(Node::etcd).toList();
  }

  /** Units on the given node: the common ones plus etcd's on etcd nodes. */
  public List<String> unitsOf(Node node) {
    return node.etcd()
        ? Stream.concat(units.stream(), etcdUnits.stream()).toList()
        : units;
  }

  /** Global settings of the platform. */
  public record Platform(
      String version,
      String rootPassword,
      String appNamespace,
      String resourceNamespace,
      String protonNamespace,
      String diskPerNode,
      String dataSize) {
    public Platform {
      Objects.requireNonNull(rootPassword, "platform.rootPassword is missing");
      appNamespace = appNamespace == null ? "anyshare" : appNamespace;
      resourceNamespace = resourceNamespace == null ? "resource" : resourceNamespace;
      protonNamespace = protonNamespace == null ? "proton" : protonNamespace;
      diskPerNode = diskPerNode == null ? "8GB" : diskPerNode;
      dataSize = dataSize == null ? "50MB" : dataSize;
      DataSize.parse(diskPerNode);
      DataSize.parse(dataSize);
    }

    /** Capacity of each node's disk, as df reports it. */
    public DataSize disk() {
      return DataSize.parse(diskPerNode);
    }

    /** Total size of the component data files. */
    public DataSize data() {
      return DataSize.parse(dataSize);
    }
  }

  /** A machine of the platform, reachable over SSH on its own loopback address. */
  public record Node(
      String name,
      String ip,
      List<String> roles,
      int cores,
      String memory,
      @JsonProperty("new") boolean newNode) {
    public Node {
      if (name == null || !DNS_LABEL.matcher(name).matches()) {
        throw new IllegalArgumentException("lab seed: bad node name '" + name + "'");
      }
      if (ip == null || !ip.startsWith("127.")) {
        throw new IllegalArgumentException("lab seed: node " + name + " needs a loopback ip (127.x.y.z)");
      }
      roles = List.copyOf(roles == null ? List.of() : roles);
      memory = memory == null ? "16Gi" : memory;
      cores = cores == 0 ? 8 : cores;
    }

    public boolean master() {
      return roles.contains("master");
    }

    public boolean etcd() {
      return roles.contains("etcd");
    }
  }

  /**
   * A base component. {@code nodes.get(i)} is the node of replica ordinal i. Operator components
   * carry the custom resource that stands for them.
   */
  public record Component(
      String name,
      String kind,
      String confKey,
      String image,
      String dataPath,
      List<String> nodes,
      int weight,
      Map<String, String> credentials,
      Operator operator) {
    public Component {
      Objects.requireNonNull(name, "lab seed: component without a name");
      if (!"helm".equals(kind) && !"operator".equals(kind)) {
        throw new IllegalArgumentException("lab seed: component " + name + " has kind '" + kind + "' (helm|operator)");
      }
      if ("operator".equals(kind) && operator == null) {
        throw new IllegalArgumentException("lab seed: operator component " + name + " needs an operator section");
      }
      nodes = List.copyOf(nodes);
      if (nodes.isEmpty() || nodes.size() > 3 || Set.copyOf(nodes).size() != nodes.size()) {
        throw new IllegalArgumentException("lab seed: component " + name + " needs 1-3 replicas on distinct nodes");
      }
      confKey = confKey == null ? name : confKey;
      weight = weight <= 0 ? 1 : weight;
      credentials = Map.copyOf(credentials == null ? Map.of() : credentials);
    }

    public boolean helm() {
      return "helm".equals(kind);
    }
  }

  /** The custom resource of an operator-managed component and the label on its PVs/PVCs. */
  public record Operator(String group, String version, String kind, String plural, String crName, String pvLabel) {
    public String crdName() {
      return plural + "." + group;
    }

    public String labelKey() {
      return pvLabel.substring(0, pvLabel.indexOf('='));
    }

    public String labelValue() {
      return pvLabel.substring(pvLabel.indexOf('=') + 1);
    }
  }

  /** A service outside Kubernetes with a data directory on each of its nodes. */
  public record HostService(String name, String unit, String dataPath, List<String> nodes, int weight) {
    public HostService {
      nodes = List.copyOf(nodes);
      weight = weight <= 0 ? 1 : weight;
    }
  }

  /** A Deployment of an operator, e.g. the MariaDB operator's controller manager. */
  public record OperatorDeployment(String namespace, String name, int replicas) {}

  /** Business applications in the app namespace. */
  public record Apps(List<Workload> deployments, List<Workload> statefulSets, List<Workload> daemonSets) {
    public Apps {
      deployments = List.copyOf(deployments == null ? List.of() : deployments);
      statefulSets = List.copyOf(statefulSets == null ? List.of() : statefulSets);
      daemonSets = List.copyOf(daemonSets == null ? List.of() : daemonSets);
    }
  }

  /** A workload and its replica count (DaemonSets ignore the count). */
  public record Workload(String name, int replicas) {}

  /** The control plane's pods. */
  public record KubeSystem(List<String> perMaster, List<String> perNode, List<Workload> deployments) {
    public KubeSystem {
      perMaster = List.copyOf(perMaster == null ? List.of() : perMaster);
      perNode = List.copyOf(perNode == null ? List.of() : perNode);
      deployments = List.copyOf(deployments == null ? List.of() : deployments);
    }
  }
}
