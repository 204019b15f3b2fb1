package io.lockstep.migration;

import io.lockstep.inventory.Inventory;
import io.lockstep.inventory.InventorySnapshot;
import io.lockstep.inventory.InventorySnapshot.ComponentRow;
import io.lockstep.inventory.InventorySnapshot.ReplicaRow;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reads the platform for planning: the live inventory (nodes, SSH reachability, component replicas
 * with their data directories), the component catalog and the configured host services.
 */
@Component
class Platforms {

  private final Inventory inventory;
  private final ComponentCatalog catalog;
  private final MigrationProperties properties;

  Platforms(Inventory inventory, ComponentCatalog catalog, MigrationProperties properties) {
    this.inventory = inventory;
    this.catalog = catalog;
    this.properties = properties;
  }

  /** Reads it now. Throws the Kubernetes client's exception when the API cannot be reached. */
  Platform read() {
    InventorySnapshot snapshot = inventory.snapshot();
    ComponentCatalog.Catalog components = catalog.read();
    List<NodeState> nodes = snapshot.nodes().stream()
        .map(n -> new NodeState(n.name(), n.ip(), n.ready(), n.ssh() != null && n.ssh().reachable(),
            n.ssh() == null ? "not probed" : n.ssh().message(),
            n.roles().contains("master") || n.roles().contains("control-plane")))
        .toList();
    List<Replica> replicas = new ArrayList<>();
    for (ComponentRow component : snapshot.components()) {
      ComponentCatalog.Entry entry = components.entries().get(component.name());
      for (ReplicaRow r : component.replicas()) {
        replicas.add(new Replica(component.name(), entry == null ? null : entry.kind(),
            entry == null ? null : entry.confKey(), r.ordinal(), r.node(), r.dataPath()));
      }
    }
    for (MigrationProperties.HostService service : properties.hostServices()) {
      for (int i = 0; i < service.nodes().size(); i++) {
        replicas.add(new Replica(service.name(), Replica.HOST, null, i, service.nodes().get(i), service.dataPath()));
      }
    }
    return new Platform(nodes, replicas, snapshot.appNamespace(), components.problem());
  }

  /** Probes the nodes over SSH afresh on the next read. */
  void forgetProbes() {
    inventory.forgetProbes();
  }
}
