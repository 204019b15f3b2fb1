package io.lockstep.lab.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabCommandException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link LabCluster} that records what the nodes told it. proton-cli apply fails (exit 3) for a
 * configuration containing "broken"; helm fails for a release named "missing".
 */
final class RecordingCluster implements LabCluster {

  static final String CONF = "apiVersion: v1\nnodes:\n  - name: node-1\n    ip: 127.0.10.1\n";

  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> appliedConfs = new CopyOnWriteArrayList<>();

  @Override
  public KubernetesClient client() {
    throw new UnsupportedOperationException("the node tests do not reach the API server");
  }

  @Override
  public void kubeletChanged(String node, boolean active) {
    events.add("kubelet " + node + " " + active);
  }

  @Override
  public void runtimeChanged(String node, boolean active) {
    events.add("runtime " + node + " " + active);
  }

  final java.util.Set<String> etcdStopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public void etcdChanged(String node, boolean active) {
    events.add("etcd " + node + " " + active);
    if (active) {
      etcdStopped.remove(node);
    } else {
      etcdStopped.add(node);
    }
  }

  @Override
  public void nodeAgentsAre(String node, boolean kubelet, boolean runtime, Optional<Boolean> etcd) {
    events.add("agents " + node + " kubelet=" + kubelet + " runtime=" + runtime
        + " etcd=" + etcd.map(String::valueOf).orElse("-"));
    etcd.ifPresent(active -> {
      if (active) {
        etcdStopped.remove(node);
      } else {
        etcdStopped.add(node);
      }
    });
  }

  @Override
  public boolean etcdActive(String node) {
    return !etcdStopped.contains(node);
  }

  @Override
  public String protonConf() {
    return CONF;
  }

  @Override
  public void applyProtonConf(String yaml, Optional<String> password, Consumer<String> progress)
      throws LabCommandException {
    if (yaml.contains("broken")) {
      throw new LabCommandException("Error: invalid configuration: broken", 3);
    }
    appliedConfs.add(yaml);
    events.add("apply password=" + password.orElse("-"));
    progress.accept("[1/2] checking nodes");
    progress.accept("[2/2] applying configuration: done");
  }

  @Override
  public List<String> helmDelete(String namespace, List<String> releases) throws LabCommandException {
    if (releases.contains("missing")) {
      throw new LabCommandException("Error: uninstall: Release not loaded: missing: release: not found", 1);
    }
    events.add("helm " + namespace + " " + releases);
    return releases.stream().map(r -> "release \"" + r + "\" uninstalled").toList();
  }
}
