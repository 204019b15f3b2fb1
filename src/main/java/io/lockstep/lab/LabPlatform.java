package io.lockstep.lab;

import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.node.LabNodes;
import io.lockstep.lab.vmcluster.VmClusterLab;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The running lab: its Kubernetes API and its nodes. Starts before the web server (so the first
 * request finds the kubeconfig and known_hosts written) and stops after it, persisting its state.
 */
public class LabPlatform implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LabPlatform.class);

  private final LabKube kube;
  private final LabNodes nodes;
  private final VmClusterLab vmCluster;
  private volatile boolean running;

  LabPlatform(LabKube kube, LabNodes nodes) {
    this(kube, nodes, null);
  }

  /** With the VM management cluster (P5's platform) when {@code vmCluster} is not null. */
  LabPlatform(LabKube kube, LabNodes nodes, VmClusterLab vmCluster) {
    this.kube = kube;
    this.nodes = nodes;
    this.vmCluster = vmCluster;
  }

  @Override
  public synchronized void start() {
    kube.start();
    nodes.start();
    if (vmCluster != null) {
      vmCluster.start(nodes.sshPort());
    }
    running = true;
    log.info("lab platform running: Kubernetes API {}, node SSH port {}", kube.url(), nodes.sshPort());
  }

  /** Puts the lab back to its seed: every object and every node's files and units. */
  public synchronized void reset() {
    kube.reset();
    nodes.seed();
    if (vmCluster != null) {
      vmCluster.reset();
    }
    log.info("lab platform reset to its seed");
  }

  @Override
  public synchronized void stop() {
    if (running) {
      running = false;
      if (vmCluster != null) {
        vmCluster.stop();
      }
      nodes.stop();
      kube.stop();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts early, stops late: the console's clients need the lab for as long as they run. */
  @Override
  public int getPhase() {
    return -100;
  }

  /** The VM management cluster (P5's platform), if this lab runs one. */
  /** The lab's nodes (tests set how they behave, e.g. {@link LabNodes#etcdStartDelay(java.time.Duration)}). */
  public LabNodes nodes() {
    return nodes;
  }

  public Optional<VmClusterLab> vmCluster() {
    return Optional.ofNullable(vmCluster);
  }

  /** The Kubernetes API's address. */
  public String apiUrl() {
    return kube.url();
  }

  /** The API address of the lab's member cluster {@code member}; empty when the lab has none of that name. */
  Optional<String> memberApiUrl(String member) {
    if (!kube.memberClusters().contains(member)) {
      return Optional.empty();
    }
    return Optional.of(kube.memberClient(member).getMasterUrl().toString());
  }
}
