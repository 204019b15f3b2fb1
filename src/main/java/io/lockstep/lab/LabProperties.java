package io.lockstep.lab;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the built-in lab platform (profile {@code lab}).
 *
 * @param stateDir where the lab keeps its state: the cluster's objects, every node's files, host
 *     keys, and the kubeconfig, known_hosts and client key it writes for the console
 * @param seed location of the seed (a Spring resource location); the lab is built from it when it
 *     has no state yet and whenever an operator resets it
 * @param apiPort port of the lab's Kubernetes API on 127.0.0.1 (0 picks a free one)
 * @param sshPort port of every lab node's SSH server, each on the node's own loopback address
 * @param podStartDelay how long a new pod stays Pending before it runs and is Ready
 * @param podTerminationGrace how long a deleted pod stays Terminating before it is gone (real
 *     applications take their terminationGracePeriodSeconds, 30 s; the lab is faster)
 * @param rsyncBinary the rsync executable that moves bytes between node sandboxes
 * @param sshBinary the OpenSSH client rsync uses as its remote shell between lab nodes
 * @param kosmos location of the Kosmos seed (a Spring resource location): the member clusters
 *     joined to the lab's cluster and the MySQL cluster P6 moves; blank for a lab without them
 * @param etcdStartDelay how long an etcd member started with {@code systemctl} takes to be healthy
 *     (a real one joins and waits for a leader, up to its election timeout); until then {@code
 *     etcdctl endpoint health} says it is unhealthy
 * @param vmCluster location of the VM management cluster's seed (a Spring resource location):
 *     hypervisors, fleet VMs and GlusterFS volumes, the platform P5 restarts; its state lives in
 *     {@code stateDir/vmcluster}; blank for a lab without it
 */
@Validated
@ConfigurationProperties("lockstep.lab")
public record LabProperties(
    @DefaultValue("./data/lab") Path stateDir,
    @DefaultValue("classpath:lockstep-config/lab/platform.yml") String seed,
    @DefaultValue("16443") int apiPort,
    @DefaultValue("2222") int sshPort,
    @DefaultValue("1s") Duration podStartDelay,
    @DefaultValue("2s") Duration podTerminationGrace,
    @DefaultValue("rsync") String rsyncBinary,
    @DefaultValue("ssh") String sshBinary,
    @DefaultValue("classpath:lockstep-config/lab/kosmos.yml") String kosmos,
    @DefaultValue(LabProperties.PACKAGED_VM_CLUSTER) String vmCluster,
    @DefaultValue("3s") Duration etcdStartDelay) {

  /** The VM management cluster's seed that ships with the console. */
  static final String PACKAGED_VM_CLUSTER = "classpath:lockstep-config/lab/vm-cluster.yml";

  @ConstructorBinding
  public LabProperties {
    etcdStartDelay = etcdStartDelay == null ? Duration.ZERO : etcdStartDelay;
    if (etcdStartDelay.isNegative()) {
      throw new IllegalArgumentException("lockstep.lab.etcd-start-delay must not be negative");
    }
  }

  /** A lab whose etcd members are healthy as soon as they start. */
  public LabProperties(Path stateDir, String seed, int apiPort, int sshPort, Duration podStartDelay,
      Duration podTerminationGrace, String rsyncBinary, String sshBinary, String kosmos, String vmCluster) {
    this(stateDir, seed, apiPort, sshPort, podStartDelay, podTerminationGrace, rsyncBinary, sshBinary, kosmos,
        vmCluster, Duration.ZERO);
  }

  /** A lab without Kosmos member clusters (the Proton platform only). */
  public LabProperties(Path stateDir, String seed, int apiPort, int sshPort, Duration podStartDelay,
      Duration podTerminationGrace, String rsyncBinary, String sshBinary) {
    this(stateDir, seed, apiPort, sshPort, podStartDelay, podTerminationGrace, rsyncBinary, sshBinary, "", "");
  }

  /** A lab without the VM management cluster. */
  public LabProperties(Path stateDir, String seed, int apiPort, int sshPort, Duration podStartDelay,
      Duration podTerminationGrace, String rsyncBinary, String sshBinary, String kosmos) {
    this(stateDir, seed, apiPort, sshPort, podStartDelay, podTerminationGrace, rsyncBinary, sshBinary, kosmos, "");
  }

  /** Whether the lab runs the VM management cluster (P5's platform) beside the Proton nodes. */
  public boolean vmClusterEnabled() {
    return vmCluster != null && !vmCluster.isBlank();
  }

  /** Whether the lab joins member clusters with Kosmos. */
  public boolean kosmosEnabled() {
    return kosmos != null && !kosmos.isBlank();
  }

  /** The folder holding a member cluster's persisted objects. */
  public Path memberClusterDir(String member) {
    return stateDir.resolve("members").resolve(member);
  }

  /** The kubeconfig the console uses to reach the lab's API server. */
  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  /** The known_hosts file holding every lab node's host key. */
  public Path knownHosts() {
    return stateDir.resolve("known_hosts");
  }

  /** The private key (OpenSSH format, ed25519) the console logs in with; authorized on every node. */
  public Path clientKey() {
    return stateDir.resolve("id_ed25519");
  }

  /** The folder holding the node sandboxes: {@code nodes/NAME/root} is that node's "/". */
  public Path nodesDir() {
    return stateDir.resolve("nodes");
  }

  /** The folder holding the persisted Kubernetes objects. */
  public Path clusterDir() {
    return stateDir.resolve("cluster");
  }
}
