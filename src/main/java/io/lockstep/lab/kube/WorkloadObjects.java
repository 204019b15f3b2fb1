package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import java.util.Map;

/**
 * Plain workloads as the seed lists them (applications, operators, the control plane's add-ons):
 * selector {@code app=NAME}, one container, the 30-second termination grace period most
 * applications run with, and the rolling-update strategies the API server would default them to
 * ({@code kubectl rollout status} needs them). Pure builders.
 */
final class WorkloadObjects {

  static final long GRACE_SECONDS = 30;

  private WorkloadObjects() {}

  static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/metadata.name", name).endMetadata()
        .withNewStatus().withPhase("Active").endStatus().build();
  }

  static Deployment deployment(String namespace, String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString("25%")).endRollingUpdate()
        .endStrategy().withProgressDeadlineSeconds(600).withRevisionHistoryLimit(10)
        .withTemplate(template(Map.of("app", name), name, image, null)).endSpec()
        .build();
  }

  static StatefulSet statefulSet(String namespace, String name, int replicas, String image) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", name).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name)
        .withPodManagementPolicy("OrderedReady").withUpdateStrategy(statefulSetUpdates())
        .withRevisionHistoryLimit(10)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(template(Map.of("app", name), name, image, null)).endSpec()
        .build();
  }

  static DaemonSet daemonSet(String namespace, String name, String image) {
    return new DaemonSetBuilder()
        .withNewMetadata().withName(name)
        .withNamespace(namespace).addToLabels("app", name).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(1)).endRollingUpdate().endUpdateStrategy().withRevisionHistoryLimit(10)
        .withTemplate(new PodTemplateSpecBuilder(template(Map.of("app", name), name, image, null))
            .editSpec().addNewToleration().withOperator("Exists").endToleration().endSpec().build())
        .endSpec()
        .build();
  }

  /** The update strategy the API server defaults a StatefulSet to. */
  static StatefulSetUpdateStrategy statefulSetUpdates() {
    return new StatefulSetUpdateStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate().withPartition(0)
        .endRollingUpdate().build();
  }

  /** A pod template with one container; {@code dataMount} mounts the claim {@code data} there if given. */
  static PodTemplateSpec template(Map<String, String> labels, String name, String image, String dataMount) {
    PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(GRACE_SECONDS).withRestartPolicy("Always")
        .addNewContainer().withName(name).withImage(image).withImagePullPolicy("IfNotPresent").endContainer()
        .endSpec();
    if (dataMount != null) {
      template.editSpec().editFirstContainer().addNewVolumeMount().withName(BaseComponent.VOLUME_TEMPLATE)
          .withMountPath(dataMount).endVolumeMount().endContainer().endSpec();
    }
    return template.build();
  }

  /** The image the lab gives a workload the seed names without one. */
  static String imageOf(String name) {
    return "proton/" + name + ":lab";
  }
}
