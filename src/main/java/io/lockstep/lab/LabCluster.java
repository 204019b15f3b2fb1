package io.lockstep.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * What a lab node needs from the lab's Kubernetes side: the platform-level effects of the commands
 * a node runs. Implemented by the lab's API server side ({@code io.lockstep.lab.kube}); used by the
 * node side ({@code io.lockstep.lab.node}) when it interprets {@code systemctl}, {@code helm3} and
 * {@code proton-cli}.
 */
public interface LabCluster {

  /** A client to the lab's own API server (the same endpoint the console reaches). */
  KubernetesClient client();

  /** kubelet on {@code node} was started or stopped: the Node's Ready condition follows. */
  void kubeletChanged(String node, boolean active);

  /** The container runtime (docker/containerd) on {@code node} was started or stopped. */
  void runtimeChanged(String node, boolean active);

  /**
   * etcd on {@code node} was started or stopped. While fewer than a majority of the etcd members
   * run, or no master runs its container runtime (the API server's container), the API answers
   * every client but the lab's own controllers with 503.
   */
  void etcdChanged(String node, boolean active);

  /**
   * The node's units as its files say when the lab's nodes start: kubelet, the container runtime
   * (docker or containerd) and, on an etcd node, etcd. The cluster makes its own record agree
   * wherever it differs — a lab killed after a {@code systemctl} command wrote its unit file but
   * before the cluster recorded the change (the command had not answered yet) leaves them apart.
   */
  void nodeAgentsAre(String node, boolean kubelet, boolean runtime, Optional<Boolean> etcd);

  /** Whether the etcd member on {@code node} runs (as far as {@code systemctl} has said). */
  boolean etcdActive(String node);

  /** {@code proton-cli get conf}: the cluster configuration as YAML text. */
  String protonConf();

  /**
   * {@code proton-cli apply -f FILE [-p PASSWORD]}: makes the cluster match the configuration —
   * adds and removes nodes, (re)installs components on the nodes it names.
   *
   * @param yaml the file's content
   * @param password the SSH password given with -p, if any (checked against the nodes' password)
   * @param progress receives the lines proton-cli prints
   * @throws LabCommandException with the message and exit status proton-cli would give
   */
  void applyProtonConf(String yaml, Optional<String> password, java.util.function.Consumer<String> progress)
      throws LabCommandException;

  /**
   * {@code helm3 -n NAMESPACE delete RELEASE…}: uninstalls the releases.
   *
   * @return the lines helm prints ("release "kafka" uninstalled")
   * @throws LabCommandException when a release does not exist (helm's message, exit 1)
   */
  List<String> helmDelete(String namespace, List<String> releases) throws LabCommandException;
}
