package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code kosmos.restore-imports}: the way back of {@code kosmos.remove-stale-imports}. Every
 * ServiceImport the run recorded before removing it ({@value KosmosStaleImports#KEY}MEMBER/NS/NAME)
 * is created again in its member where it is missing (its namespace too), and the record is
 * settled. One that is there already is left as it is (and settled). Takes no params; a run
 * without such records has nothing to restore.
 */
@Component
class KosmosRestoreImports implements StepExecutor {

  static final String TYPE = "kosmos.restore-imports";
  private final MemberClusters members;

  KosmosRestoreImports(MemberClusters members) {
    this.members = members;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    noParams(params);
    return StepPreview.of(Line.of("preview.kosmos.restoreImports", "create again, where missing, every ServiceImport"
        + " this run removed from a member cluster (its undo records {0}…), then settle the records",
        KosmosStaleImports.KEY));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    noParams(context.params());
    Map<String, String> records = context.undo().all(KosmosStaleImports.KEY);
    List<String> restored = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (Map.Entry<String, String> record : records.entrySet()) {
      String[] where = record.getKey().substring(KosmosStaleImports.KEY.length()).split("/", 2);
      String member = where[0];
      if (!members.names().contains(member) || where.length < 2) {
        throw new StepFailedException("the undo record " + record.getKey() + " names no member cluster of this console"
            + " (" + String.join(", ", members.names()) + "): nothing restored from it");
      }
      KubernetesClient client = members.client(member);
      GenericKubernetesResource recorded = client.getKubernetesSerialization().unmarshal(record.getValue(),
          GenericKubernetesResource.class);
      String ns = recorded.getMetadata().getNamespace();
      String name = recorded.getMetadata().getName();
      GenericKubernetesResource current = MysqlClusters.call("read ServiceImport " + ns + "/" + name + " in " + member,
          () -> MysqlClusters.mcs(client, "ServiceImport").inNamespace(ns).withName(name).get());
      if (current == null) {
        if (MysqlClusters.call("read namespace " + ns + " in " + member, () -> client.namespaces().withName(ns).get()) == null) {
          context.action(member, "create namespace " + ns);
          MysqlClusters.call("create namespace " + ns + " in " + member, () -> client.namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create());
        }
        context.action(member, "create ServiceImport " + ns + "/" + name + " as recorded");
        MysqlClusters.call("create ServiceImport " + ns + "/" + name + " in " + member,
            () -> MysqlClusters.mcs(client, "ServiceImport").inNamespace(ns).resource(recorded).create());
        restored.add(member + ": " + ns + "/" + name);
      } else {
        present.add(member + ": " + ns + "/" + name);
      }
      context.undo().settle(record.getKey());
    }
    if (restored.isEmpty() && present.isEmpty()) {
      return context.said(Line.of("summary.kosmos.restore.none", "the run removed no ServiceImport: nothing to restore"));
    }
    Line created = Line.of("summary.kosmos.restore.created", "created again the ServiceImport {0}",
        String.join(", ", restored));
    Line there = Line.of("summary.kosmos.restore.present", "already there: {0}", String.join(", ", present));
    return context.said(restored.isEmpty() ? there : present.isEmpty() ? created
        : Line.of("summary.list", "{0}; {1}", created, there));
  }

  private static void noParams(Map<String, Object> params) {
    if (!params.isEmpty()) {
      throw new IllegalArgumentException(TYPE + ": takes no params (it restores what the run recorded), not "
          + String.join(", ", params.keySet()));
    }
  }
}
