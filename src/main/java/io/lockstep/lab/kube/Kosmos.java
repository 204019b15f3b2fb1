package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lockstep.lab.KosmosSeed;
import io.lockstep.lab.LabProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Kosmos in the lab: the member clusters of the Kosmos seed, the host's side of ClusterTree (one
 * virtual node per member, {@link KosmosPods}, {@link KosmosServices}) and the MySQL operator P6's
 * MysqlCluster needs. Started after the host cluster, stopped before it; its controllers share one
 * work queue and hear of host pods, host ServiceExports and Services, member pods and member
 * ServiceImports.
 */
final class Kosmos {

  private final KosmosSeed seed;
  private final Map<String, MemberCluster> members = new LinkedHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private KubernetesClient host;
  private ControlLoop loop;
  private KosmosPods pods;
  private KosmosServices services;
  private MysqlOperator mysql;
  private final MysqlDatabases databases;

  Kosmos(KosmosSeed seed, LabProperties props) {
    this.seed = seed;
    this.databases = new MysqlDatabases(seed.database());
    seed.members().forEach(m -> members.put(m.name(), new MemberCluster(m, props)));
  }

  /** Kosmos as the properties configure it; empty when they name no Kosmos seed. */
  static Optional<Kosmos> from(LabProperties props) {
    if (!props.kosmosEnabled()) {
      return Optional.empty();
    }
    try (InputStream in = new DefaultResourceLoader().getResource(props.kosmos()).getInputStream()) {
      return Optional.of(new Kosmos(KosmosSeed.read(in), props));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab's Kosmos seed " + props.kosmos(), e);
    }
  }

  /** Starts the members (restored or seeded), completes the host's Kosmos objects, starts the controllers. */
  synchronized void start(KubernetesClient hostClient) {
    host = hostClient;
    members.values().forEach(MemberCluster::start);
    for (MemberCluster member : members.values()) {
      member.execWith(new PodExec(member::client, new MysqlClientCommand(member::client, this::mysqlServerAt, databases)));
    }
    seedHost();
    startControllers();
  }

  /** Stops the controllers: the host is about to be wiped. */
  synchronized void pause() {
    stopControllers();
  }

  /** The host has been seeded afresh: members are wiped and seeded too, the host gets its Kosmos objects. */
  synchronized void reset() {
    stopControllers();
    members.values().forEach(MemberCluster::reset);
    seedHost();
    startControllers();
  }

  /** Stops the controllers and the members; {@code compact}: as {@link ClusterStorage#close(boolean)}. */
  synchronized void stop(boolean compact) {
    stopControllers();
    members.values().forEach(m -> m.stop(compact));
  }

  /** Each member's API address, in seed order. */
  Map<String, String> memberUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    members.forEach((name, member) -> urls.put(name, member.url()));
    return urls;
  }

  Optional<MemberCluster> member(String name) {
    return Optional.ofNullable(members.get(name));
  }

  List<String> memberNames() {
    return List.copyOf(members.keySet());
  }

  /**
   * Creates what is missing in the host: the virtual nodes, the definitions, and — the first time
   * the definitions are created — the seed's host objects (the MySQL cluster).
   */
  private void seedHost() {
    int index = 0;
    for (KosmosSeed.Member member : seed.members()) {
      if (host.nodes().withName(KosmosNodes.nodeName(member.name())).get() == null) {
        host.nodes().resource(KosmosNodes.virtualNode(member, index)).create();
      }
      index++;
    }
    boolean fresh = KosmosDefinitions.ensure(host, List.of(KosmosDefinitions.MYSQL_CLUSTER,
        KosmosDefinitions.SERVICE_EXPORT, KosmosDefinitions.SERVICE_IMPORT));
    if (fresh) {
      for (Map<String, Object> object : seed.hostObjects()) {
        HasMetadata resource = host.getKubernetesSerialization()
            .unmarshal(host.getKubernetesSerialization().asJson(object));
        if (resource instanceof GenericKubernetesResource custom && "MysqlCluster".equals(custom.getKind())) {
          host.genericKubernetesResources(KosmosDefinitions.MYSQL_CLUSTER).resource(custom).create();
        } else {
          host.resource(resource).create();
        }
      }
    }
  }

  private void startControllers() {
    loop = new ControlLoop("lab-kosmos");
    pods = new KosmosPods(host, members);
    services = new KosmosServices(host, members);
    mysql = new MysqlOperator(host, databases);
    watch(host.pods().inAnyNamespace().runnableInformer(0), p -> {
      if (pods.memberOf(WorkloadPods.node(p)) != null) {
        podChanged(p);
      }
      servicesChanged();
    });
    watch(host.services().inAnyNamespace().runnableInformer(0), s -> servicesChanged());
    watch(host.genericKubernetesResources(KosmosDefinitions.SERVICE_EXPORT).inAnyNamespace().runnableInformer(0),
        e -> servicesChanged());
    for (MemberCluster member : members.values()) {
      watch(member.client().pods().inAnyNamespace().withLabel(KosmosPods.LEAF_LABEL, "true").runnableInformer(0),
          this::podChanged);
      watch(member.client().genericKubernetesResources(KosmosDefinitions.SERVICE_IMPORT).inAnyNamespace()
          .runnableInformer(0), i -> servicesChanged());
    }
    mysql.start();
  }

  /**
   * The MySQL server answering at pod address {@code ip}: a Running, Ready replica of a MysqlCluster
   * of the host (a replica Kosmos runs in a member has the address of its member pod).
   */
  private Optional<MysqlClientCommand.Server> mysqlServerAt(String ip) {
    return host.pods().inAnyNamespace().withLabel(MysqlProbe.CLUSTER_LABEL).list().getItems().stream()
        .filter(p -> ip.equals(p.getStatus() == null ? null : p.getStatus().getPodIP()))
        .filter(p -> "Running".equals(p.getStatus().getPhase()) && PodObjects.ready(p))
        .map(p -> new MysqlClientCommand.Server(p.getMetadata().getNamespace(),
            p.getMetadata().getLabels().get(MysqlProbe.CLUSTER_LABEL)))
        .findFirst();
  }

  private <T extends HasMetadata> void watch(SharedIndexInformer<T> informer, Consumer<T> changed) {
    informer.addEventHandler(OnChange.of(changed));
    informers.add(informer);
    informer.run();
  }

  private void podChanged(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    loop.enqueue("pod:" + ns + "/" + name, () -> pods.reconcile(ns, name));
  }

  private void servicesChanged() {
    loop.enqueue("mcs", services::sync);
  }

  private void stopControllers() {
    if (loop == null) {
      return;
    }
    informers.forEach(SharedIndexInformer::stop);
    informers.clear();
    mysql.stop();
    loop.stop();
    loop = null;
  }
}
