package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The controllers the CRUD store lacks, driven by informers on the lab's own API (no polling): a
 * change to a workload reconciles its pods; a change to a pod runs its lifecycle and reconciles its
 * owner; a node that appears, goes, changes labels, cordon or readiness re-evaluates the pods on it
 * and every workload (pods may now fit, or have to go); a deleted owner starts garbage collection.
 * All work runs on one {@link ControlLoop}.
 */
final class ClusterControllers {

  private final ControlLoop loop = new ControlLoop("lab-kube-controllers");
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<StatefulSet> statefulSetInformer;
  private final SharedIndexInformer<Deployment> deploymentInformer;
  private final SharedIndexInformer<DaemonSet> daemonSetInformer;
  private final List<SharedIndexInformer<GenericKubernetesResource>> customResourceInformers = new ArrayList<>();
  private final ClusterCache cache;
  private final PodLifecycle lifecycle;
  private final StatefulSetController statefulSets;
  private final DeploymentController deployments;
  private final DaemonSetController daemonSets;
  private final GarbageCollector collector;
  private final UnownedPods unowned;

  ClusterControllers(KubernetesClient client, NodeAgents agents, Duration podStartDelay, Duration podGrace,
      List<BaseComponent> operatorComponents, Supplier<List<ApiResourceType>> customTypes) {
    this(client, agents, podStartDelay, podGrace, operatorComponents, customTypes, PodProbe.ALWAYS);
  }

  /** @param probe the containers' readiness probe (the lab's are ready once they run, but some are not) */
  ClusterControllers(KubernetesClient client, NodeAgents agents, Duration podStartDelay, Duration podGrace,
      List<BaseComponent> operatorComponents, Supplier<List<ApiResourceType>> customTypes, PodProbe probe) {
    nodes = client.nodes().runnableInformer(0);
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    statefulSetInformer = client.apps().statefulSets().inAnyNamespace().runnableInformer(0);
    deploymentInformer = client.apps().deployments().inAnyNamespace().runnableInformer(0);
    daemonSetInformer = client.apps().daemonSets().inAnyNamespace().runnableInformer(0);
    for (BaseComponent component : operatorComponents) {
      customResourceInformers.add(client.genericKubernetesResources(component.crType()).inAnyNamespace()
          .runnableInformer(0));
    }
    cache = new ClusterCache(pods, nodes);
    PodScheduler scheduler = new PodScheduler(client, agents);
    WorkloadPods workloadPods = new WorkloadPods(client, cache);
    lifecycle = new PodLifecycle(client, cache, loop, agents, podStartDelay, podGrace, probe);
    unowned = new UnownedPods(workloadPods, scheduler, cache);
    statefulSets = new StatefulSetController(workloadPods, scheduler);
    deployments = new DeploymentController(workloadPods, scheduler);
    daemonSets = new DaemonSetController(workloadPods, scheduler);
    collector = new GarbageCollector(client, customTypes);
  }

  /** Starts the informers, nodes and pods first: the other reconciliations read their caches. */
  void start() {
    nodes.addEventHandler(new NodeEvents()).run();
    pods.addEventHandler(on(this::pod, false)).run();
    statefulSetInformer.addEventHandler(on(this::statefulSet, true)).run();
    deploymentInformer.addEventHandler(on(this::deployment, true)).run();
    daemonSetInformer.addEventHandler(on(this::daemonSet, true)).run();
    customResourceInformers.forEach(informer -> informer.addEventHandler(on(cr -> { }, true)).run());
    collect();
  }

  void stop() {
    List.of(nodes, pods, statefulSetInformer, deploymentInformer, daemonSetInformer).forEach(SharedIndexInformer::stop);
    customResourceInformers.forEach(SharedIndexInformer::stop);
    loop.stop();
  }

  /** The node's kubelet or runtime changed: its pods start, stop or change readiness. */
  void nodeAgentsChanged(String node) {
    loop.enqueue("node:" + node, () -> nodeChanged(node));
  }

  /** Something a readiness probe depends on changed in {@code namespace}: its pods' readiness is looked at again. */
  void recheck(String namespace) {
    pods.getStore().list().stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())).forEach(this::pod);
  }

  private void statefulSet(HasMetadata sts) {
    String ns = sts.getMetadata().getNamespace();
    String name = sts.getMetadata().getName();
    loop.enqueue("sts:" + ns + "/" + name, () -> statefulSets.reconcile(ns, name));
  }

  private void deployment(HasMetadata deployment) {
    String ns = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName();
    loop.enqueue("deploy:" + ns + "/" + name, () -> deployments.reconcile(ns, name));
  }

  private void daemonSet(HasMetadata ds) {
    String ns = ds.getMetadata().getNamespace();
    String name = ds.getMetadata().getName();
    loop.enqueue("ds:" + ns + "/" + name, () -> daemonSets.reconcile(ns, name));
  }

  private void pod(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    loop.enqueue("pod:" + ns + "/" + name, () -> lifecycle.reconcile(ns, name));
    List<OwnerReference> owners = Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.of());
    owners.stream().filter(ref -> Boolean.TRUE.equals(ref.getController())).forEach(ref -> owner(ns, ref));
    if (owners.stream().noneMatch(ref -> Boolean.TRUE.equals(ref.getController())) && WorkloadPods.node(pod) == null) {
      loop.enqueue("bind:" + ns + "/" + name, () -> unowned.schedule(ns, name));
    }
  }

  private void owner(String namespace, OwnerReference ref) {
    HasMetadata owner = new GenericKubernetesResourceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(ref.getName()).endMetadata().build();
    switch (ref.getKind()) {
      case "StatefulSet" -> statefulSet(owner);
      case "Deployment" -> deployment(owner);
      case "DaemonSet" -> daemonSet(owner);
      default -> { }
    }
  }

  private void nodeChanged(String node) {
    cache.podsOn(node).forEach(this::pod);
    cache.unscheduled().forEach(this::pod);
    statefulSetInformer.getStore().list().forEach(this::statefulSet);
    deploymentInformer.getStore().list().forEach(this::deployment);
    daemonSetInformer.getStore().list().forEach(this::daemonSet);
  }

  private void collect() {
    loop.enqueue("gc", collector::sweep);
  }

  private <T extends HasMetadata> ResourceEventHandler<T> on(Consumer<T> changed, boolean owner) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        changed.accept(object);
        if (owner) {
          collect();
        }
      }
    };
  }

  /** Node events that matter: a node appeared or went, or its labels, cordon or readiness changed. */
  private final class NodeEvents implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node node) {
      nodeAgentsChanged(node.getMetadata().getName());
    }

    @Override
    public void onUpdate(Node before, Node after) {
      if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
          || NodeObjects.cordoned(before) != NodeObjects.cordoned(after)
          || NodeObjects.ready(before) != NodeObjects.ready(after)) {
        nodeAgentsChanged(after.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Node node, boolean finalStateUnknown) {
      nodeAgentsChanged(node.getMetadata().getName());
      collect();
    }
  }
}
