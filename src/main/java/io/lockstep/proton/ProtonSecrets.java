package io.lockstep.proton;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.run.StepFailedException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Secrets that hold the node assignment of every component, each found by name across the
 * namespaces (P1: "their namespace is found by name"), and the undo record that keeps one whole.
 */
final class ProtonSecrets {

  static final List<String> DEFAULT_NAMES = List.of("persist-component-manage-components", "proton-cli-config");
  static final String RECORD = "secret/";

  private ProtonSecrets() {}

  /** The undo key of a Secret's backup: {@code secret/<namespace>/<name>}. */
  static String recordKey(String namespace, String name) {
    return RECORD + namespace + "/" + name;
  }

  /** Every Secret named {@code name}, in any namespace. */
  static List<Secret> named(KubernetesClient client, String name) {
    return call("find Secret " + name, () -> client.secrets().inAnyNamespace()
        .withField("metadata.name", name).list().getItems()).stream()
        .filter(s -> name.equals(s.getMetadata().getName())).toList();
  }

  /** The one Secret named {@code name}; refused when there is none or more than one. */
  static Secret find(KubernetesClient client, String name) {
    List<Secret> found = named(client, name);
    if (found.size() != 1) {
      throw new StepFailedException(found.isEmpty() ? "there is no Secret named " + name + " in any namespace"
          : "Secret " + name + " exists in " + found.size() + " namespaces ("
              + String.join(", ", found.stream().map(s -> s.getMetadata().getNamespace()).toList())
              + "): which one is meant is unclear");
    }
    return found.get(0);
  }

  /** An API call; its failure as a step failure naming what was attempted. */
  static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw new StepFailedException("cannot " + what + ": " + e.getMessage(), e);
    }
  }
}
