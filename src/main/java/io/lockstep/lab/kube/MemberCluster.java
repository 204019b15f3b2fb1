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
 * kubeconfig as context {@code lockstep-NAME}), its own store journaled under {@link
 * LabProperties#memberClusterDir(String)} as durably as the host's ({@link ClusterStorage}), its
 * own nodes (Ready workers, no SSH) and the same controllers the host runs — scheduler, workloads,
 * pod lifecycle, garbage collector — with the MySQL replica's readiness probe. Seeded with its
 * namespaces, nodes and the MCS API's definitions; everything else arrives through Kosmos.
 */
final class MemberCluster {

  private static final Logger log = LoggerFactory.getLogger(MemberCluster.class);

  private final KosmosSeed.Member member;
  private final LabProperties props;
  private final NodeAgents agents;
  private volatile LabDispatcher store;
  private volatile ApiServer server;
  private volatile KubernetesClient client;
  private volatile ClusterStorage storage;
  private volatile ClusterControllers controllers;

  /** The port the member's API server took at its first start; 0 before. */
  private int port;

  MemberCluster(KosmosSeed.Member member, LabProperties props) {
    this.member = member;
    this.props = props;
    this.agents = new NodeAgents(props.memberClusterDir(member.name()).resolve(LabKube.NODE_AGENTS));
  }

  String name() {
    return member.name();
  }

  synchronized void start() {
    boolean restored = restore();
    if (restored) {
      agents.load();
    } else {
      agents.startAll();
    }
    server = new ApiServer(store, Optional::empty);
    server.start(port); // the port of its first start again, as LabKube's API server does
    port = server.port();
    Config config = Config.fromKubeconfig(Kubeconfig.render(server.url()));
    config.setCustomHeaders(Map.of(ApiServer.INTERNAL_HEADER, "true"));
    client = new KubernetesClientBuilder().withConfig(config).build();
    if (!restored) {
      seed();
      storage.compact(); // the first snapshot: from now on there is a state to restore
    }
    startControllers();
    log.info("lab member cluster {} on {} ({})", name(), server.url(), restored ? "restored" : "seeded");
  }

  synchronized void reset() {
    controllers.stop();
    store.wipe();
    agents.startAll();
    seed();
    startControllers();
    storage.compactSoon();
  }

  /** Stops the controllers and the API server; {@code compact}: as {@link ClusterStorage#close(boolean)}. */
  synchronized void stop(boolean compact) {
    if (server == null) {
      return;
    }
    controllers.stop();
    client.close();
    server.stop();
    server = null;
    storage.close(compact);
  }

  String url() {
    return server.url();
  }

  KubernetesClient client() {
    return client;
  }

  /** Exec requests on the member's pods run through {@code exec}. */
  void execWith(PodExec exec) {
    store.execWith(exec);
  }

  /** Something the readiness of pods in {@code namespace} depends on changed (an imported Service). */
  void recheck(String namespace) {
    controllers.recheck(namespace);
  }

  private boolean restore() {
    Path dir = props.memberClusterDir(name());
    store = new LabDispatcher();
    storage = new ClusterStorage(store, dir);
    try {
      return storage.open();
    } catch (RuntimeException e) {
      log.warn("lab member cluster state in {} is unreadable ({}); moved aside to {}, seeded afresh", dir, e.toString(),
          storage.setAside());
      store = new LabDispatcher();
      storage = new ClusterStorage(store, dir);
      storage.open();
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
