package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.backup-secrets}: keeps whole Secrets with the run before anything changes them (P1
 * "export Secrets"), each found by name across the namespaces (exactly one Secret of that name
 * must exist). Each is stored as a secret undo record {@code exported/<namespace>/<name>} — its
 * type, labels, annotations and every data key, once — so it is in the database for a restore but
 * never logged, audited, shown or exported. The log lists the keys and their sizes, never a value.
 */
@Component
class BackupSecrets implements StepExecutor {

  static final String TYPE = "k8s.backup-secrets";
  static final String KEY = "exported/";
  static final List<String> NAMES = List.of("names");

  private final Kubernetes kubernetes;

  BackupSecrets(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  private static List<String> names(Map<String, ?> values) {
    Params params = Params.of(TYPE, values, NAMES);
    List<String> names = params.texts("names").orElseThrow(() -> params.missing("names"));
    if (names.isEmpty()) {
      throw params.problem("names", "is empty; name at least one Secret");
    }
    names.forEach(n -> params.checked("names", () -> KubeNames.object("Secret", n)));
    return List.copyOf(names);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    List<Line> lines = new ArrayList<>();
    for (String name : names(params)) {
      lines.add(Line.of("preview.k8s.backupSecret", "keep Secret {0} whole with the run (found by name; its values are"
          + " never shown)", name));
    }
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    KubernetesClient client = kubernetes.client();
    List<String> kept = new ArrayList<>();
    for (String name : names(context.params())) {
      Secret secret = find(client, name);
      String namespace = secret.getMetadata().getNamespace();
      Map<String, Object> backup = new TreeMap<>();
      backup.put("namespace", namespace);
      backup.put("name", name);
      backup.put("type", secret.getType());
      backup.put("labels", secret.getMetadata().getLabels());
      backup.put("annotations", secret.getMetadata().getAnnotations());
      backup.put("data", secret.getData());
      context.action(null, "keep Secret " + namespace + "/" + name + " with the run");
      context.undo().recordSecretOnce(KEY + namespace + "/" + name, client.getKubernetesSerialization().asJson(backup));
      Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
      data.forEach((key, value) -> context.info("  " + namespace + "/" + name + " key " + key + ": "
          + (value == null ? 0 : java.util.Base64.getDecoder().decode(value).length) + " bytes"));
      kept.add(namespace + "/" + name + " (" + data.size() + " keys)");
    }
    return context.said(Line.of("summary.k8s.backupSecrets.kept", "kept {0}", String.join(", ", kept)));
  }

  static Secret find(KubernetesClient client, String name) throws InterruptedException {
    List<Secret> found = Api.call("find Secret " + name, () -> client.secrets().inAnyNamespace()
        .withField("metadata.name", name).list().getItems()).stream()
        .filter(s -> name.equals(s.getMetadata().getName())).toList();
    if (found.size() != 1) {
      throw new StepFailedException(found.isEmpty() ? "there is no Secret named " + name + " in any namespace"
          : "Secret " + name + " exists in " + found.size() + " namespaces ("
              + String.join(", ", found.stream().map(s -> s.getMetadata().getNamespace()).toList())
              + "): which one is meant is unclear");
    }
    return found.get(0);
  }
}
