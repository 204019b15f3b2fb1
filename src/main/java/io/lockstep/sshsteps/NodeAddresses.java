package io.lockstep.sshsteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.NodeNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a node is, for the executors that reach nodes over SSH: a configured host's address
 * ({@code lockstep.sshsteps.hosts}: machines outside the cluster), else the node's {@code InternalIP}
 * address as its Node object in the Kubernetes API reports it.
 *
 * <p>An address once read is kept for as long as the console runs and is never read again: a
 * procedure that stops the whole cluster still reaches its nodes while the API is down. Addresses
 * read are also remembered in the database, so a console restarted while the API is down reaches
 * the nodes it knew before. On a node
 * not read before, all nodes are read at once, so that one look-up while the API is up serves every
 * node of the cluster later. A node given a new address is therefore still sought at the old one
 * until the console restarts; pinned host keys make sure that never reaches another machine
 * unnoticed. Safe for use by many threads at once.
 */
@Component
public class NodeAddresses {

  private static final String INTERNAL_IP = "InternalIP";

  private final Kubernetes kubernetes;
  private final Map<String, String> hosts;
  private final @Nullable RememberedAddresses remembered;
  private final Map<String, String> known = new ConcurrentHashMap<>();

  /** Nodes of the cluster only. */
  public NodeAddresses(Kubernetes kubernetes) {
    this(kubernetes, Map.of());
  }

  /**
   * As Spring builds it: the hosts of {@code lockstep.sshsteps.hosts} (none where that is not
   * bound), and the addresses remembered in the database (none without one).
   */
  @Autowired
  NodeAddresses(Kubernetes kubernetes, ObjectProvider<SshStepsProperties> properties,
      ObjectProvider<RememberedAddresses> remembered) {
    this(kubernetes, properties.getIfAvailable(() -> new SshStepsProperties(16, java.time.Duration.ofSeconds(10)))
        .hosts(), remembered.getIfAvailable());
  }

  /**
   * @param hosts machines outside the cluster ({@code lockstep.sshsteps.hosts}), name to address:
   *     found here first, never in the API
   */
  public NodeAddresses(Kubernetes kubernetes, Map<String, String> hosts) {
    this(kubernetes, hosts, null);
  }

  NodeAddresses(Kubernetes kubernetes, Map<String, String> hosts, @Nullable RememberedAddresses remembered) {
    this.kubernetes = kubernetes;
    this.hosts = Map.copyOf(hosts);
    this.remembered = remembered;
  }

  /**
   * The host to reach {@code node} at over SSH: its InternalIP address.
   *
   * @throws IllegalArgumentException {@code node} is not a valid node name (checked before the
   *     API is asked)
   * @throws StepFailedException the cluster has no such node, the node has no InternalIP address,
   *     or the API could not be read and the node's address was not read before
   */
  public String hostOf(String node) {
    NodeNames.require(node);
    String configured = hosts.get(node);
    if (configured != null) {
      return configured;
    }
    String host = known.get(node);
    if (host != null) {
      return host;
    }
    Map<String, Optional<String>> nodes = readAll(node);
    Optional<String> address = nodes.get(node);
    if (address == null) {
      throw new StepFailedException("node '" + node + "' is not a node of the cluster");
    }
    return address.orElseThrow(() -> new StepFailedException(
        "node '" + node + "' has no " + INTERNAL_IP + " address in its status"));
  }

  /** The configured host ({@code lockstep.sshsteps.hosts}) at {@code address}, if one is. */
  public Optional<String> configuredHostAt(String address) {
    return hosts.entrySet().stream().filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).findFirst();
  }

  /**
   * The node (or configured host) known to be at {@code address}, among those whose address was
   * read before: to name an etcd member by its node rather than its URL. Never asks the API.
   */
  public Optional<String> nodeAt(String address) {
    return configuredHostAt(address).or(() -> known.entrySet().stream()
        .filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).sorted().findFirst());
  }

  /** Reads every node, keeps each address found, and returns them all by node name. */
  private Map<String, Optional<String>> readAll(String wanted) {
    List<Node> nodes;
    try {
      nodes = kubernetes.client().nodes().list().getItems();
    } catch (KubernetesClientException e) {
      Optional<String> last = remembered == null ? Optional.empty() : remembered.addressOf(wanted);
      if (last.isPresent()) {
        known.put(wanted, last.get());
        return Map.of(wanted, last);
      }
      throw new StepFailedException("cannot read the address of node '" + wanted
          + "' from the Kubernetes API, and it was never read before: " + shortReason(e), e);
    }
    Map<String, Optional<String>> found = new HashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      Optional<String> address = internalIp(node);
      address.ifPresent(host -> {
        known.put(name, host);
        seen.put(name, host);
      });
      found.put(name, address);
    }
    if (remembered != null) {
      remembered.remember(seen);
    }
    return found;
  }

  /** The API server's message, or the client's first line: fabric8's messages can run to pages. */
  private static String shortReason(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
    String first = message.lines().findFirst().orElse("");
    return first.length() > 300 ? first.substring(0, 300) + "…" : first;
  }

  private static Optional<String> internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return Optional.empty();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> INTERNAL_IP.equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> a != null && !a.isEmpty())
        .findFirst();
  }
}
