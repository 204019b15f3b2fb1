package io.lockstep.inventory;

import io.fabric8.kubernetes.api.model.Node;
import io.lockstep.inventory.InventorySnapshot.NodeRow;
import io.lockstep.inventory.InventorySnapshot.SshStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Takes a snapshot of the platform: the Kubernetes view joined with SSH reachability. */
@Service
public class Inventory {

  private final PlatformReader reader;
  private final SshProbes probes;
  private final Clock clock;

  Inventory(PlatformReader reader, SshProbes probes, Clock clock) {
    this.reader = reader;
    this.probes = probes;
    this.clock = clock;
  }

  /** Reads the platform now. Throws the client's exception when the API cannot be reached. */
  public InventorySnapshot snapshot() {
    List<Node> nodes = reader.nodes();
    Map<String, String> ips = new LinkedHashMap<>();
    nodes.forEach(n -> ips.put(n.getMetadata().getName(), PlatformReader.internalIp(n)));
    Map<String, SshStatus> ssh = probes.probe(ips);
    List<NodeRow> rows = nodes.stream().map(n -> new NodeRow(
            n.getMetadata().getName(),
            PlatformReader.roles(n),
            PlatformReader.ready(n),
            n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()),
            ips.get(n.getMetadata().getName()),
            ssh.get(n.getMetadata().getName())))
        .toList();
    String appNamespace = reader.appNamespace();
    return new InventorySnapshot(reader.apiUrl(), clock.instant(), rows, reader.components(),
        reader.operatorComponents(), appNamespace, reader.workloads(appNamespace));
  }

  /** Probes the nodes afresh on the next snapshot. */
  public void forgetProbes() {
    probes.forget();
  }
}
