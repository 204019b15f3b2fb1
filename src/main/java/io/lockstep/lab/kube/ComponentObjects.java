package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.lockstep.lab.LabSeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The objects that make up an installed base component: one local PersistentVolume per replica on
 * its node, the claim bound to it, the StatefulSet and its headless Service, and the Helm release
 * Secret or the operator's custom resource (with its definition). Pure builders: nothing here talks
 * to the API server.
 */
final class ComponentObjects {

  static final String STORAGE_CLASS = "local-storage";
  static final Quantity VOLUME_SIZE = new Quantity("10Gi");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String platformVersion;

  ComponentObjects(String platformVersion) {
    this.platformVersion = platformVersion;
  }

  PersistentVolume volume(BaseComponent c, int ordinal, String node, String dataPath) {
    return new PersistentVolumeBuilder()
        .withNewMetadata().withName(c.pvName(node)).withLabels(c.volumeLabels()).endMetadata()
        .withNewSpec()
        .addToCapacity("storage", VOLUME_SIZE)
        .withAccessModes("ReadWriteOnce")
        .withPersistentVolumeReclaimPolicy("Retain")
        .withStorageClassName(STORAGE_CLASS)
        .withVolumeMode("Filesystem")
        .withNewLocal().withPath(dataPath).endLocal()
        .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey(NodeObjects.HOSTNAME).withOperator("In").withValues(node)
        .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
        .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
        .withNamespace(c.namespace()).withName(c.pvcName(ordinal)).endClaimRef()
        .endSpec()
        .withNewStatus().withPhase("Bound").endStatus()
        .build();
  }

  PersistentVolumeClaim claim(BaseComponent c, int ordinal, String node) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(c.pvcName(ordinal)).withNamespace(c.namespace()).withLabels(c.selector())
        .addToAnnotations("pv.kubernetes.io/bind-completed", "yes")
        .addToAnnotations("volume.kubernetes.io/selected-node", node).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(STORAGE_CLASS)
        .withVolumeMode("Filesystem").withVolumeName(c.pvName(node))
        .withNewResources().addToRequests("storage", VOLUME_SIZE).endResources().endSpec()
        .withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce").addToCapacity("storage", VOLUME_SIZE)
        .endStatus()
        .build();
  }

  StatefulSet statefulSet(BaseComponent c, int replicas, OwnerReference owner) {
    Map<String, String> labels = new LinkedHashMap<>(c.selector());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (c.helm()) {
      labels.put("app.kubernetes.io/managed-by", "Helm");
      labels.put("app.kubernetes.io/name", c.name());
      labels.put("helm.sh/chart", c.name() + "-" + platformVersion);
      annotations.put("meta.helm.sh/release-name", c.name());
      annotations.put("meta.helm.sh/release-namespace", c.namespace());
    } else {
      labels.put("app.kubernetes.io/managed-by", c.seed().operator().kind().toLowerCase() + "-operator");
    }
    StatefulSetBuilder sts = new StatefulSetBuilder()
        .withNewMetadata().withName(c.statefulSet()).withNamespace(c.namespace()).withLabels(labels)
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(c.service()).withPodManagementPolicy("OrderedReady")
        .withUpdateStrategy(WorkloadObjects.statefulSetUpdates()).withRevisionHistoryLimit(10)
        .withNewSelector().withMatchLabels(c.selector()).endSelector()
        .withTemplate(WorkloadObjects.template(c.selector(), c.statefulSet(), c.seed().image(), "/data"))
        .addNewVolumeClaimTemplate().withNewMetadata().withName(BaseComponent.VOLUME_TEMPLATE).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(STORAGE_CLASS)
        .withNewResources().addToRequests("storage", VOLUME_SIZE).endResources().endSpec()
        .endVolumeClaimTemplate()
        .endSpec();
    if (owner != null) {
      sts.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return sts.build();
  }

  Service headlessService(BaseComponent c) {
    return new ServiceBuilder()
        .withNewMetadata().withName(c.service()).withNamespace(c.namespace()).withLabels(c.selector()).endMetadata()
        .withNewSpec().withClusterIP("None").withSelector(c.selector()).withPublishNotReadyAddresses(true)
        .addNewPort().withName("client").withPort(7000).endPort().endSpec()
        .build();
  }

  /** The Secret Helm keeps a deployed release in ({@code sh.helm.release.v1.NAME.v1}). */
  Secret releaseSecret(BaseComponent c, Placement placement) {
    Map<String, Object> release = new LinkedHashMap<>();
    release.put("name", c.name());
    release.put("namespace", c.namespace());
    release.put("version", 1);
    release.put("info", Map.of("status", "deployed", "description", "Install complete"));
    release.put("chart", Map.of("metadata", Map.of("name", c.name(), "version", platformVersion)));
    release.put("config", Map.of("replicaCount", placement.hosts().size(), "hosts", placement.hosts(),
        "dataPath", placement.dataPath()));
    String encoded = Base64.getEncoder().encodeToString(gzip(JSON.writeValueAsString(release)));
    return new SecretBuilder()
        .withNewMetadata().withName(c.releaseSecret()).withNamespace(c.namespace())
        .addToLabels("owner", "helm").addToLabels("name", c.name()).addToLabels("status", "deployed")
        .addToLabels("version", "1").endMetadata()
        .withType("helm.sh/release.v1")
        .addToData("release", Base64.getEncoder().encodeToString(encoded.getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  CustomResourceDefinition definition(BaseComponent c) {
    LabSeed.Operator op = c.seed().operator();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(op.crdName()).endMetadata()
        .withNewSpec().withGroup(op.group()).withScope("Namespaced")
        .withNewNames().withKind(op.kind()).withListKind(op.kind() + "List").withPlural(op.plural())
        .withSingular(op.kind().toLowerCase()).endNames()
        .addNewVersion().withName(op.version()).withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema().endVersion()
        .endSpec()
        .build();
  }

  GenericKubernetesResource customResource(BaseComponent c, Placement placement) {
    LabSeed.Operator op = c.seed().operator();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("replicas", placement.hosts().size());
    spec.put("nodes", List.copyOf(placement.hosts()));
    spec.put("dataPath", placement.dataPath());
    spec.put("image", c.seed().image());
    spec.put("storageClassName", STORAGE_CLASS);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(op.group() + "/" + op.version()).withKind(op.kind())
        .withNewMetadata().withName(op.crName()).withNamespace(c.namespace())
        .addToLabels("app.kubernetes.io/name", c.name()).endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
