package io.lockstep.proton;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code proton.secrets}: rewrites the Secrets that hold the node assignment of every component as
 * the plan says (P1 phase 8; {@link SecretRewrite} says what changes and when it is refused).
 *
 * <p>Each Secret is first kept whole as a secret undo record {@code secret/<namespace>/<name>},
 * once: a rerun keeps the original. Then each changed Secret is <em>replaced</em> in one update
 * (same name, namespace, type, labels and annotations; new data; the read's resourceVersion, so a
 * Secret changed meanwhile is refused rather than overwritten). The seed deletes and creates the
 * Secrets instead; a replace ends in the same Secret but never leaves a moment without it, where a
 * crash between delete and create would lose the Secret and stop a rerun. Everything is checked
 * before the first change, so a refused rewrite changes nothing. Already rewritten Secrets match
 * the plan's "after" state and are left alone: running the step again after it succeeded changes
 * nothing.
 */
@Component
class RewriteSecrets implements StepExecutor {

  static final String TYPE = "proton.secrets";
  static final List<String> NAMES = List.of("rows", "secrets", "check");

  private final Kubernetes kubernetes;

  RewriteSecrets(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /**
   * The checked params.
   *
   * @param check only check, changing nothing: find the Secrets and work out the rewrite, with every
   *     refusal the real step would meet, and keep and replace nothing
   */
  record Request(Map<String, Placement> placements, List<String> secrets, boolean check) {

    static Request from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      if (!params.has("rows")) {
        throw params.problem("rows", "is missing");
      }
      Map<String, Placement> placements = Placement.from(params, "rows");
      if (placements.isEmpty()) {
        throw params.problem("rows", "places no component (no row has a conf_key)");
      }
      return new Request(placements, params.secretNames("secrets", ProtonSecrets.DEFAULT_NAMES),
          params.flag("check", false));
    }
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
    Request request = Request.from(params);
    List<SecretRewrite> rewrites = rewrites(request);
    Masking masking = masking(rewrites);
    List<Line> actions = new ArrayList<>();
    StringBuilder diff = new StringBuilder();
    if (request.check()) {
      for (SecretRewrite rewrite : rewrites) {
        rewrite.keys().forEach(key -> actions.add(key.changed()
            ? Line.of("preview.proton.secretKey.wouldRewrite", "{0} key {1}: would rewrite {2}", rewrite.id(), key.name(),
                key.note())
            : Line.of("preview.proton.secretKey", "{0} key {1}: {2}", rewrite.id(), key.name(), key.note())));
      }
      actions.add(Line.of("preview.proton.rewrite.checkOnly", "check only: the Secrets are found and the plan's rewrite"
          + " worked out; nothing is kept or replaced"));
      return StepPreview.of(actions);
    }
    for (SecretRewrite rewrite : rewrites) {
      actions.add(Line.of("preview.proton.keepSecret", "keep Secret {0} whole with the run (once; its values are never"
          + " shown)", rewrite.id()));
      for (SecretRewrite.Key key : rewrite.keys()) {
        actions.add(key.changed()
            ? Line.of("preview.proton.secretKey.rewrite", "{0} key {1}: rewrite {2}", rewrite.id(), key.name(),
                key.note())
            : Line.of("preview.proton.secretKey", "{0} key {1}: {2}", rewrite.id(), key.name(), key.note()));
        if (key.changed()) {
          diff.append(UnifiedDiff.of(rewrite.id() + " " + key.name(), rewrite.id() + " " + key.name() + " (rewritten)",
              Yaml.write(masking.masked(key.beforeTree())), Yaml.write(masking.masked(key.afterTree()))));
        }
      }
      actions.add(rewrite.changed()
          ? Line.of("preview.proton.replaceSecret", "replace Secret {0} with the rewritten data (same name, namespace,"
              + " type, labels and annotations)", rewrite.id())
          : Line.of("preview.proton.leaveSecret", "leave Secret {0} as it is (nothing to rewrite)", rewrite.id()));
    }
    return new StepPreview(actions, diff.isEmpty() ? null : diff.toString());
  }


  @Override
  public String execute(StepContext context) {
    Request request = Request.from(context.params());
    KubernetesClient client = kubernetes.client();
    List<SecretRewrite> rewrites = rewrites(request);
    if (request.check()) {
      return check(context, rewrites);
    }
    for (SecretRewrite rewrite : rewrites) {
      Secret secret = rewrite.secret();
      String json = client.getKubernetesSerialization().asJson(secret);
      String key = ProtonSecrets.recordKey(secret.getMetadata().getNamespace(), secret.getMetadata().getName());
      context.action(null, "keep Secret " + rewrite.id() + " whole with the run as " + key);
      context.info(context.undo().recordSecretOnce(key, json) ? "kept Secret " + rewrite.id() + " whole (undo record "
          + key + "; its values are never shown)" : "Secret " + rewrite.id() + " was kept by an earlier attempt: "
          + "that original stays the backup");
    }
    int changedKeys = 0;
    List<String> replaced = new ArrayList<>();
    for (SecretRewrite rewrite : rewrites) {
      for (SecretRewrite.Key key : rewrite.keys()) {
        context.info(rewrite.id() + " key " + key.name() + ": " + (key.changed() ? "rewrite " : "") + key.note());
      }
      if (!rewrite.changed()) {
        context.info("Secret " + rewrite.id() + " is already as planned: left as it is");
        continue;
      }
      Secret secret = rewrite.secret();
      Secret updated = new SecretBuilder(secret).withData(rewrite.data()).build();
      context.action(null, "replace Secret " + rewrite.id() + " with the rewritten data (same name, namespace, "
          + "type, labels and annotations)");
      ProtonSecrets.call("replace Secret " + rewrite.id(), () -> client.secrets()
          .inNamespace(secret.getMetadata().getNamespace()).resource(updated).update());
      changedKeys += (int) rewrite.keys().stream().filter(SecretRewrite.Key::changed).count();
      replaced.add(rewrite.id());
    }
    return context.said(replaced.isEmpty()
        ? Line.of("summary.proton.secrets.alreadyPlanned", "the Secrets are already as planned: nothing rewritten")
        : changedKeys == 1 ? Line.of("summary.proton.secrets.rewroteOne", "rewrote 1 key in {0}", String.join(", ", replaced))
        : Line.of("summary.proton.secrets.rewrote", "rewrote {0} keys in {1}", changedKeys, String.join(", ", replaced)));
  }

  /** Check mode: what the rewrite would do, logged; nothing kept, nothing replaced. */
  private static String check(StepContext context, List<SecretRewrite> rewrites) {
    int changing = 0;
    for (SecretRewrite rewrite : rewrites) {
      for (SecretRewrite.Key key : rewrite.keys()) {
        context.info(rewrite.id() + " key " + key.name() + ": " + (key.changed() ? "would rewrite " : "") + key.note());
        changing += key.changed() ? 1 : 0;
      }
    }
    String ids = String.join(", ", rewrites.stream().map(SecretRewrite::id).toList());
    return context.said(changing == 1
        ? Line.of("summary.proton.secrets.checkOne", "the Secrets {0} take the plan''s rewrite (1 key to rewrite); nothing"
            + " was changed", ids)
        : Line.of("summary.proton.secrets.check", "the Secrets {0} take the plan''s rewrite ({1} keys to rewrite); nothing"
            + " was changed", ids, changing));
  }

  /** Every Secret found and its rewrite worked out, before anything changes. */
  private List<SecretRewrite> rewrites(Request request) {
    KubernetesClient client = kubernetes.client();
    List<SecretRewrite> rewrites = new ArrayList<>();
    Set<String> found = new LinkedHashSet<>();
    for (String name : request.secrets()) {
      SecretRewrite rewrite = SecretRewrite.of(ProtonSecrets.find(client, name), request.placements());
      found.addAll(rewrite.confKeysFound());
      rewrites.add(rewrite);
    }
    Set<String> missing = new LinkedHashSet<>(request.placements().keySet());
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      throw new StepFailedException("the plan places " + String.join(", ", missing) + ", which no key of "
          + String.join(", ", request.secrets()) + " names; the plan does not match the Secrets, so nothing was changed");
    }
    return rewrites;
  }

  private static Masking masking(List<SecretRewrite> rewrites) {
    Masking masking = new Masking(List.of());
    for (SecretRewrite rewrite : rewrites) {
      rewrite.plainTexts().forEach(masking::add);
      rewrite.keys().stream().filter(SecretRewrite.Key::yaml).forEach(key -> masking.collect(key.beforeTree()));
    }
    return masking;
  }
}
