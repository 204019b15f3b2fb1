package io.lockstep.lab.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.lab.KosmosSeed;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kosmos member cluster of the lab: its own API server on 127.0.0.1 (a free port, written to the
 * kubeconfig as context {@code lockstep-NAME}), its own store saved under
 * {@link LabProperties#memberClusterDir(String)}, its own nodes (Ready workers, no SSH) and the same
 * controllers the host runs — scheduler, workloads, pod lifecycle, garbage collector — with the
 * MySQL replica's readiness probe. Seeded with its namespaces, nodes and the MCS API's definitions;
 * everything else arrives through Kosmos.
 */
final class MemberCluster {

  private static final Logger log = LoggerFactory.getLogger(MemberCluster.class);

  private final KosmosSeed.Member member;
  private final LabProperties props;
  private final NodeAgents agents = new NodeAgents();
  private volatile LabDispatcher store;
  private volatile ApiServer server;
  private volatile KubernetesClient client;
  private volatile ClusterSnapshot snapshot;
  private volatile ClusterControllers controllers;

  MemberCluster(KosmosSeed.Member member, LabProperties props) {
    this.member = member;
    this.props = props;
  }

  String name() {
    return member.name();
  }

  synchronized void start() {
    boolean restored = restore();
    server = new ApiServer(store, Optional::empty);
    server.start(0);
    Config config = Config.fromKubeconfig(Kubeconfig.render(server.url()));
    config.setCustomHeaders(Map.of(ApiServer.INTERNAL_HEADER, "true"));
    client = new KubernetesClientBuilder().withConfig(config).build();
    if (!restored) {
      seed();
    }
    startControllers();
    snapshot.startAutoSave();
    store.onWrite(snapshot::changed);
    log.info("lab member cluster {} on {} ({})", name(), server.url(), restored ? "restored" : "seeded");
  }

  synchronized void reset() {
    controllers.stop();
    store.wipe();
    agents.startAll();
    seed();
    startControllers();
    snapshot.changed();
  }

  synchronized void stop() {
    if (server == null) {
      return;
    }
    controllers.stop();
    snapshot.stop();
    client.close();
    server.stop();
    server = null;
  }

  String url() {
    return server.url();
  }

  KubernetesClient client() {
    return client;
  }

  /** Something the readiness of pods in {@code namespace} depends on changed (an imported Service). */
  void recheck(String namespace) {
    controllers.recheck(namespace);
  }

  private boolean restore() {
    Path dir = props.memberClusterDir(name());
    store = new LabDispatcher();
    snapshot = new ClusterSnapshot(store, dir, agents);
    if (!snapshot.exists()) {
      return false;
    }
    try {
      snapshot.restore();
      return true;
    } catch (RuntimeException e) {
      log.warn("lab member cluster state in {} is unreadable ({}); moved aside to {}, seeded afresh", dir, e.toString(),
          snapshot.setAside());
      store = new LabDispatcher();
      snapshot = new ClusterSnapshot(store, dir, agents);
      return false;
    }
  }

  private void seed() {
    for (String ns : List.of("default", ControlPlanePods.NAMESPACE, "kosmos-system")) {
      client.namespaces().resource(WorkloadObjects.namespace(ns)).create();
    }
    LabSeed.Platform platform = new LabSeed.Platform(null, "none", null, null, null, null, null);
    for (LabSeed.Node node : member.nodes()) {
      client.nodes().resource(NodeObjects.node(node, false, platform)).create();
    }
    KosmosDefinitions.ensure(client, List.of(KosmosDefinitions.SERVICE_EXPORT, KosmosDefinitions.SERVICE_IMPORT));
  }

  private void startControllers() {
    controllers = new ClusterControllers(client, agents, props.podStartDelay(), props.podTerminationGrace(), List.of(),
        store::customTypes, new MysqlProbe(client));
    controllers.start();
  }
}
