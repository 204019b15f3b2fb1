package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Installs a base component on a placement the way its installer does — volumes and claims first
 * (replica ordinal i on {@code hosts[i]}), then the Helm release or the operator's custom resource,
 * then the StatefulSet (owned by the custom resource for an operator component) and its Service —
 * and reads back where an installed component's replicas are.
 */
final class ComponentInstaller {

  private final KubernetesClient client;
  private final ComponentObjects objects;

  ComponentInstaller(KubernetesClient client, ComponentObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  /** Whether the component is installed: its Helm release Secret or its custom resource exists. */
  boolean installed(BaseComponent c) {
    if (c.helm()) {
      return client.secrets().inNamespace(c.namespace()).withName(c.releaseSecret()).get() != null;
    }
    return client.genericKubernetesResources(c.crType()).inNamespace(c.namespace())
        .withName(c.seed().operator().crName()).get() != null;
  }

  void install(BaseComponent c, Placement placement) {
    for (int ordinal = 0; ordinal < placement.hosts().size(); ordinal++) {
      String node = placement.hosts().get(ordinal);
      volume(c, ordinal, node, placement.dataPath());
    }
    OwnerReference owner = null;
    if (c.helm()) {
      client.secrets().resource(objects.releaseSecret(c, placement)).createOr(existing -> existing.update());
    } else {
      if (client.apiextensions().v1().customResourceDefinitions().withName(c.seed().operator().crdName()).get() == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(objects.definition(c)).create();
      }
      GenericKubernetesResource cr = client.genericKubernetesResources(c.crType())
          .resource(objects.customResource(c, placement)).create();
      owner = PodObjects.controllerRef(cr);
    }
    client.services().resource(objects.headlessService(c)).createOr(existing -> existing.update());
    StatefulSet sts = objects.statefulSet(c, placement.hosts().size(), owner);
    client.apps().statefulSets().resource(sts).createOr(existing -> existing.update());
  }

  /** Where the installed component's replicas are, read from its claims' volumes; empty if unreadable. */
  Optional<Placement> placement(BaseComponent c) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet()).get();
    if (sts == null) {
      return Optional.empty();
    }
    int replicas = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
    List<String> hosts = new ArrayList<>();
    String dataPath = null;
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(c.namespace())
          .withName(c.pvcName(ordinal)).get();
      PersistentVolume volume = claim == null || claim.getSpec().getVolumeName() == null ? null
          : client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      if (volume == null || volume.getSpec().getLocal() == null) {
        return Optional.empty();
      }
      hosts.add(PodScheduler.affinityNode(volume).orElse(""));
      dataPath = volume.getSpec().getLocal().getPath();
    }
    return Optional.of(new Placement(hosts, Objects.requireNonNullElse(dataPath, "")));
  }

  /** Creates replica {@code ordinal}'s volume on {@code node} and its claim, replacing stale ones. */
  private void volume(BaseComponent c, int ordinal, String node, String dataPath) {
    PersistentVolume wanted = objects.volume(c, ordinal, node, dataPath);
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(c.namespace())
        .withName(c.pvcName(ordinal)).get();
    if (claim != null && !wanted.getMetadata().getName().equals(claim.getSpec().getVolumeName())) {
      release(claim.getSpec().getVolumeName());
      client.persistentVolumeClaims().resource(claim).delete();
      claim = null;
    }
    PersistentVolume volume = client.persistentVolumes().withName(wanted.getMetadata().getName()).get();
    if (volume != null && !Objects.equals(volume.getSpec().getLocal(), wanted.getSpec().getLocal())) {
      client.persistentVolumes().resource(volume).delete();
      volume = null;
    }
    if (volume == null) {
      client.persistentVolumes().resource(wanted).create();
    } else {
      client.persistentVolumes().withName(volume.getMetadata().getName())
          .edit(v -> new PersistentVolumeBuilder(v).editSpec().withClaimRef(wanted.getSpec().getClaimRef()).endSpec()
              .withStatus(wanted.getStatus()).build());
    }
    if (claim == null) {
      client.persistentVolumeClaims().resource(objects.claim(c, ordinal, node)).create();
    }
  }

  /** A volume whose claim was replaced is Released, as Kubernetes leaves a Retain volume. */
  private void release(String volumeName) {
    if (volumeName == null || client.persistentVolumes().withName(volumeName).get() == null) {
      return;
    }
    client.persistentVolumes().withName(volumeName)
        .edit(v -> new PersistentVolumeBuilder(v).editOrNewStatus().withPhase("Released").endStatus().build());
  }
}
