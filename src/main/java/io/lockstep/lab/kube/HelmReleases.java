package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.lab.LabCommandException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code helm3 -n NAMESPACE delete RELEASE…} against the lab. Like Helm, it works through the
 * releases in order: a release without a release Secret stops it with Helm's error (the releases
 * before it stay uninstalled); an existing one loses its StatefulSets, Services and release Secrets,
 * found by the release's labels and annotations. Claims made from volumeClaimTemplates are not part
 * of a release and stay, and the pods terminate through the controllers.
 */
final class HelmReleases {

  private static final String INSTANCE = "app.kubernetes.io/instance";
  private static final String RELEASE_NAME = "meta.helm.sh/release-name";

  private final KubernetesClient client;

  HelmReleases(KubernetesClient client) {
    this.client = client;
  }

  List<String> delete(String namespace, List<String> releases) throws LabCommandException {
    List<String> printed = new ArrayList<>();
    for (String release : releases) {
      List<Secret> records = client.secrets().inNamespace(namespace)
          .withLabels(Map.of("owner", "helm", "name", release)).list().getItems();
      if (records.isEmpty()) {
        throw new LabCommandException("Error: uninstall: Release not loaded: " + release + ": release: not found", 1);
      }
      client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
          .filter(sts -> partOf(release, sts.getMetadata().getLabels(), sts.getMetadata().getAnnotations()))
          .forEach(sts -> client.apps().statefulSets().resource(sts).delete());
      client.services().inNamespace(namespace).withLabel(INSTANCE, release).delete();
      records.forEach(secret -> client.secrets().resource(secret).delete());
      printed.add("release \"" + release + "\" uninstalled");
    }
    return printed;
  }

  private static boolean partOf(String release, Map<String, String> labels, Map<String, String> annotations) {
    return (annotations != null && release.equals(annotations.get(RELEASE_NAME)))
        || (labels != null && release.equals(labels.get(INSTANCE)) && "Helm".equals(labels.get("app.kubernetes.io/managed-by")));
  }
}
