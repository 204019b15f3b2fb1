package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.lab.LabSeed;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the seeded Proton platform in an empty API server: every machine as a Ready Node, the
 * control plane in {@code kube-system}, the base components installed where the seed puts them, the
 * operators, the business applications, and the two Secrets holding the cluster configuration.
 * Workloads are created without pods; the controllers start those.
 */
final class PlatformSeeder {

  private final KubernetesClient client;
  private final LabSeed seed;
  private final ComponentInstaller installer;
  private final ProtonSecrets secrets;
  private final ControlPlanePods controlPlane;

  PlatformSeeder(KubernetesClient client, LabSeed seed, ComponentInstaller installer, ProtonSecrets secrets,
      ControlPlanePods controlPlane) {
    this.client = client;
    this.seed = seed;
    this.installer = installer;
    this.secrets = secrets;
    this.controlPlane = controlPlane;
  }

  void seed() {
    namespaces();
    client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
        .withName(ComponentObjects.STORAGE_CLASS).endMetadata().withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("WaitForFirstConsumer").withReclaimPolicy("Retain").build()).create();
    for (LabSeed.Node machine : seed.nodes()) {
      Node node = client.nodes().resource(NodeObjects.node(machine, machine.master(), seed.platform())).create();
      if (machine.master()) {
        controlPlane.ensure(node);
      }
    }
    kubeSystem();
    ProtonConf conf = ProtonConf.seeded(seed);
    for (LabSeed.Component component : seed.components()) {
      installer.install(new BaseComponent(component, seed.platform().resourceNamespace()),
          new Placement(component.nodes(), component.dataPath()));
    }
    for (LabSeed.OperatorDeployment operator : seed.operatorDeployments()) {
      client.apps().deployments().resource(WorkloadObjects.deployment(operator.namespace(), operator.name(),
          operator.replicas(), WorkloadObjects.imageOf(operator.name()))).create();
    }
    applications();
    secrets.seed(conf);
  }

  private void namespaces() {
    Set<String> names = new LinkedHashSet<>();
    names.add("default");
    names.add(ControlPlanePods.NAMESPACE);
    names.add(seed.platform().resourceNamespace());
    names.add(seed.platform().appNamespace());
    names.add(seed.platform().protonNamespace());
    seed.operatorDeployments().forEach(o -> names.add(o.namespace()));
    names.forEach(name -> client.namespaces().resource(WorkloadObjects.namespace(name)).create());
  }

  private void kubeSystem() {
    String ns = ControlPlanePods.NAMESPACE;
    for (String name : seed.kubeSystem().perNode()) {
      client.apps().daemonSets().resource(WorkloadObjects.daemonSet(ns, name, WorkloadObjects.imageOf(name))).create();
    }
    for (LabSeed.Workload workload : seed.kubeSystem().deployments()) {
      client.apps().deployments().resource(WorkloadObjects.deployment(ns, workload.name(), workload.replicas(),
          WorkloadObjects.imageOf(workload.name()))).create();
    }
  }

  private void applications() {
    String ns = seed.platform().appNamespace();
    for (LabSeed.Workload workload : seed.apps().deployments()) {
      client.apps().deployments().resource(WorkloadObjects.deployment(ns, workload.name(), workload.replicas(),
          WorkloadObjects.imageOf(workload.name()))).create();
    }
    for (LabSeed.Workload workload : seed.apps().statefulSets()) {
      client.apps().statefulSets().resource(WorkloadObjects.statefulSet(ns, workload.name(), workload.replicas(),
          WorkloadObjects.imageOf(workload.name()))).create();
    }
    for (LabSeed.Workload workload : seed.apps().daemonSets()) {
      client.apps().daemonSets().resource(WorkloadObjects.daemonSet(ns, workload.name(),
          WorkloadObjects.imageOf(workload.name()))).create();
    }
  }
}
