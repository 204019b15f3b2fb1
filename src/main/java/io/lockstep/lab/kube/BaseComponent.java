package io.lockstep.lab.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lockstep.lab.LabSeed;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one base component of the seed shows in the cluster: the names and labels of its
 * StatefulSet, pods, volumes, Service and — for a Helm component — its release Secret, or — for an
 * operator component — its custom resource. Helm components are named after the component
 * ({@code kafka}, pods {@code app=kafka}); operator components after their volume label's value
 * ({@code mariadb-mariadb}, pods and volumes {@code app=mariadb-mariadb}), as their operators name
 * what they create.
 */
record BaseComponent(LabSeed.Component seed, String namespace) {

  static final String VOLUME_TEMPLATE = "data";

  String name() {
    return seed.name();
  }

  boolean helm() {
    return seed.helm();
  }

  String confKey() {
    return seed.confKey();
  }

  /** Name of the StatefulSet, and prefix of its pods and claims. */
  String statefulSet() {
    return helm() ? name() : seed.operator().labelValue();
  }

  /** The labels selecting the pods; also on the claims the StatefulSet owns. */
  Map<String, String> selector() {
    Map<String, String> labels = new LinkedHashMap<>(volumeLabels());
    labels.put("app.kubernetes.io/instance", helm() ? name() : statefulSet());
    return labels;
  }

  /** The label P1 deletes the volumes by ({@code app=kafka}, {@code app=mariadb-mariadb}). */
  Map<String, String> volumeLabels() {
    return helm() ? Map.of("app", name()) : Map.of(seed.operator().labelKey(), seed.operator().labelValue());
  }

  String pvName(String node) {
    return name() + "-" + VOLUME_TEMPLATE + "-" + node;
  }

  String pvcName(int ordinal) {
    return VOLUME_TEMPLATE + "-" + statefulSet() + "-" + ordinal;
  }

  String podName(int ordinal) {
    return statefulSet() + "-" + ordinal;
  }

  String service() {
    return statefulSet() + "-headless";
  }

  String releaseSecret() {
    return "sh.helm.release.v1." + name() + ".v1";
  }

  /** The custom resource's type (operator components only). */
  ResourceDefinitionContext crType() {
    LabSeed.Operator op = seed.operator();
    return new ResourceDefinitionContext.Builder().withGroup(op.group()).withVersion(op.version())
        .withKind(op.kind()).withPlural(op.plural()).withNamespaced(true).build();
  }
}
