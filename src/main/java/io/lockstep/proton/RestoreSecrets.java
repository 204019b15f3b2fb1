package io.lockstep.proton;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code proton.secrets-restore}: puts the Secrets {@code proton.secrets} rewrote back exactly as
 * it kept them (data, type, labels, annotations), what an operator does after a rewrite that went
 * wrong. Reads the run's undo record {@code secret/<namespace>/<name>} even when it was settled,
 * so running the restore again is harmless; settles it once the Secret is back. A Secret that is
 * gone is created again. Every Secret's backup is looked up before the first change: a run without
 * a backup of one of them changes nothing.
 */
@Component
class RestoreSecrets implements StepExecutor {

  static final String TYPE = "proton.secrets-restore";
  static final List<String> NAMES = List.of("secrets");

  private final Kubernetes kubernetes;

  RestoreSecrets(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  private static List<String> names(Map<String, ?> values) {
    return Params.of(TYPE, values, NAMES).secretNames("secrets", ProtonSecrets.DEFAULT_NAMES);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(2);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    List<Line> actions = new ArrayList<>();
    for (String name : names(params)) {
      actions.add(Line.of("preview.proton.restoreSecret", "put Secret {0} back exactly as the run kept it before {1}"
          + " rewrote it (data, type, labels, annotations; its values are never shown); fails if the run kept no copy",
          name, "proton.secrets"));
    }
    return StepPreview.of(actions);
  }


  @Override
  public String execute(StepContext context) {
    KubernetesClient client = kubernetes.client();
    Map<String, Secret> backups = new LinkedHashMap<>();
    for (String name : names(context.params())) {
      String key = recordKey(client, context, name);
      String json = context.undo().recorded(key).orElseThrow();
      backups.put(key, client.getKubernetesSerialization().unmarshal(json, Secret.class));
    }
    List<String> restored = new ArrayList<>();
    backups.forEach((key, backup) -> {
      String namespace = backup.getMetadata().getNamespace();
      String name = backup.getMetadata().getName();
      Secret current = ProtonSecrets.call("read Secret " + namespace + "/" + name,
          () -> client.secrets().inNamespace(namespace).withName(name).get());
      context.action(null, (current == null ? "create Secret " : "put back Secret ") + namespace + "/" + name
          + " as kept in " + key);
      ProtonSecrets.call("restore Secret " + namespace + "/" + name, () -> current == null
          ? client.secrets().inNamespace(namespace).resource(fresh(backup)).create()
          : client.secrets().inNamespace(namespace).resource(restored(current, backup)).update());
      context.undo().settle(key);
      context.info("Secret " + namespace + "/" + name + " is back as it was before the rewrite");
      restored.add(namespace + "/" + name);
    });
    return context.said(Line.of("summary.proton.secrets.restored", "restored {0}", String.join(", ", restored)));
  }

  /**
   * The backup's key for Secret {@code name}: in the namespace where a Secret of that name is now,
   * or, if none is, where a standing backup of that name was taken.
   */
  private static String recordKey(KubernetesClient client, StepContext context, String name) {
    Set<String> candidates = new LinkedHashSet<>();
    ProtonSecrets.named(client, name).forEach(s -> candidates.add(
        ProtonSecrets.recordKey(s.getMetadata().getNamespace(), name)));
    context.undo().all(ProtonSecrets.RECORD).keySet().stream()
        .filter(k -> k.endsWith("/" + name) && k.split("/").length == 3).forEach(candidates::add);
    List<String> kept = candidates.stream().filter(k -> context.undo().recorded(k).isPresent()).toList();
    if (kept.size() != 1) {
      throw new StepFailedException(kept.isEmpty() ? "the run kept no copy of Secret " + name + " (proton.secrets "
          + "keeps one before it rewrites): nothing was restored"
          : "the run kept Secrets named " + name + " in several namespaces (" + String.join(", ", kept)
              + "): nothing was restored");
    }
    return kept.get(0);
  }

  /** {@code current} with the backup's data, type, labels, annotations and immutability. */
  private static Secret restored(Secret current, Secret backup) {
    return new SecretBuilder(current)
        .editMetadata().withLabels(backup.getMetadata().getLabels())
        .withAnnotations(backup.getMetadata().getAnnotations()).endMetadata()
        .withType(backup.getType()).withData(backup.getData()).withStringData(null)
        .withImmutable(backup.getImmutable()).build();
  }

  /** The backup as a new object: without what the server set when it made the original. */
  private static Secret fresh(Secret backup) {
    ObjectMeta meta = Optional.ofNullable(backup.getMetadata()).orElseGet(ObjectMeta::new);
    return new SecretBuilder(backup).withMetadata(new ObjectMetaBuilder()
        .withName(meta.getName()).withNamespace(meta.getNamespace())
        .withLabels(meta.getLabels()).withAnnotations(meta.getAnnotations())
        .withOwnerReferences(meta.getOwnerReferences()).build()).build();
  }
}
