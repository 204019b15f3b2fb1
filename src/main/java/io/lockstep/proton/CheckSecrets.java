package io.lockstep.proton;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * {@code proton.check-secrets}: compares each Secret {@code proton.secrets} rewrote with the copy
 * the run kept before the rewrite (standing undo records {@code secret/<namespace>/<name>}; one a
 * restore settled is back) and fails naming every Secret whose data differs or that is gone. It
 * only reads and never shows a value: a recovery action's check ("the component Secrets still
 * name the new nodes").
 */
@Component
class CheckSecrets implements StepExecutor {

  static final String TYPE = "proton.check-secrets";

  private final Kubernetes kubernetes;

  CheckSecrets(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params.of(TYPE, params, List.of());
    return StepPreview.of(Line.of("preview.proton.checkSecrets", "compare the rewritten Secrets with the copies kept"
        + " before the rewrite (values never shown; no change)"));
  }


  @Override
  public String execute(StepContext context) {
    Params.of(TYPE, context.params(), List.of());
    KubernetesClient client = kubernetes.client();
    List<String> differ = new ArrayList<>();
    Map<String, String> kept = context.undo().all(ProtonSecrets.RECORD);
    for (Map.Entry<String, String> record : kept.entrySet()) {
      Secret backup = client.getKubernetesSerialization().unmarshal(record.getValue(), Secret.class);
      String namespace = backup.getMetadata().getNamespace();
      String name = backup.getMetadata().getName();
      Secret now = ProtonSecrets.call("read Secret " + namespace + "/" + name,
          () -> client.secrets().inNamespace(namespace).withName(name).get());
      if (now == null) {
        differ.add(namespace + "/" + name + " is gone");
      } else if (!Objects.equals(now.getData(), backup.getData())) {
        differ.add(namespace + "/" + name + " is not as it was before the rewrite");
      }
    }
    if (!differ.isEmpty()) {
      throw new StepFailedException("Secret " + String.join("; Secret ", differ));
    }
    return context.said(kept.isEmpty()
        ? Line.of("summary.proton.secrets.noneRewritten", "no Secret was rewritten by this run, or every one is back")
        : Line.of("summary.proton.secrets.asBefore", "{0} Secrets as they were before the rewrite", kept.size()));
  }
}
