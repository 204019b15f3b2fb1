package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * The custom resource types of P6: the MySQL operator's {@code MysqlCluster} (host only) and the
 * Multi-Cluster Services API's {@code ServiceExport} and {@code ServiceImport}
 * ({@code multicluster.x-k8s.io/v1alpha1}, served in the host and every member).
 */
final class KosmosDefinitions {

  static final ResourceDefinitionContext MYSQL_CLUSTER = type("mysql.presslabs.org", "v1alpha1", "MysqlCluster",
      "mysqlclusters");
  static final ResourceDefinitionContext SERVICE_EXPORT = type("multicluster.x-k8s.io", "v1alpha1", "ServiceExport",
      "serviceexports");
  static final ResourceDefinitionContext SERVICE_IMPORT = type("multicluster.x-k8s.io", "v1alpha1", "ServiceImport",
      "serviceimports");

  private KosmosDefinitions() {}

  /** Creates the definitions that are missing; answers whether any was. */
  static boolean ensure(KubernetesClient client, List<ResourceDefinitionContext> types) {
    boolean created = false;
    for (ResourceDefinitionContext type : types) {
      String name = type.getPlural() + "." + type.getGroup();
      if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(definition(type)).create();
        created = true;
      }
    }
    return created;
  }

  private static CustomResourceDefinition definition(ResourceDefinitionContext type) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(type.getPlural() + "." + type.getGroup()).endMetadata()
        .withNewSpec().withGroup(type.getGroup()).withScope("Namespaced")
        .withNewNames().withKind(type.getKind()).withPlural(type.getPlural())
        .withSingular(type.getKind().toLowerCase()).withListKind(type.getKind() + "List").endNames()
        .addNewVersion().withName(type.getVersion()).withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion()
        .endSpec().build();
  }

  private static ResourceDefinitionContext type(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }
}
