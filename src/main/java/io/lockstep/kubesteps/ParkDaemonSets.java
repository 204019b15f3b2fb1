package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.park-daemonsets}: takes every DaemonSet of a namespace off all nodes by adding the
 * nodeSelector {@value #LABEL}{@code : "true"} to its pod template (no node carries that label, so
 * its pods go away), or puts them back. P1 "stop applications" and "start applications".
 *
 * <p>Parking records each DaemonSet's nodeSelector first (undo key
 * {@code parked/<namespace>/<name>}, once), so un-parking restores exactly what was there and a
 * DaemonSet that was parked before the run (its selector already had the label) stays parked.
 * Un-parking settles the records; a DaemonSet parked without a record of this run is un-parked by
 * removing the label alone, and the log says so. Both directions can be repeated.
 */
@Component
class ParkDaemonSets implements StepExecutor {

  static final String TYPE = "k8s.park-daemonsets";
  static final String LABEL = "stop-by-admin";
  static final String KEY = "parked/";
  static final List<String> NAMES = List.of("namespace", "park");

  private final Kubernetes kubernetes;

  ParkDaemonSets(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  record Which(String namespace, boolean park) {
    static Which from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      return new Which(params.checked("namespace", () -> KubeNames.namespace(params.text("namespace"))),
          params.flag("park", true));
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Which which = Which.from(params);
    List<String> names = Api.read("list DaemonSets of " + which.namespace(),
        () -> kubernetes.client().apps().daemonSets().inNamespace(which.namespace()).list().getItems()).stream()
        .map(d -> d.getMetadata().getName()).toList();
    if (names.isEmpty()) {
      return StepPreview.of(Line.of("preview.k8s.park.none", "namespace {0} has no DaemonSet: nothing to do",
          which.namespace()));
    }
    List<Line> lines = new ArrayList<>();
    for (String name : names) {
      String path = which.namespace() + "/" + name;
      lines.add(which.park()
          ? Line.of("preview.k8s.park", "DaemonSet {0}: record its nodeSelector, then add {1}", path,
              LABEL + ": \"true\"")
          : Line.of("preview.k8s.unpark", "DaemonSet {0}: put back the nodeSelector recorded before parking", path));
    }
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Which which = Which.from(context.params());
    KubernetesClient client = kubernetes.client();
    List<DaemonSet> daemonSets = Api.call("list DaemonSets of " + which.namespace(),
        () -> client.apps().daemonSets().inNamespace(which.namespace()).list().getItems());
    int changed = 0;
    for (DaemonSet daemonSet : daemonSets) {
      if (which.park() ? park(context, client, which.namespace(), daemonSet) : unpark(context, client, which.namespace(), daemonSet)) {
        changed++;
      }
    }
    Line summary = which.park()
        ? Line.of("summary.k8s.park.parked", "parked {0} of {1} DaemonSets of {2}", changed, daemonSets.size(),
            which.namespace())
        : Line.of("summary.k8s.park.unparked", "un-parked {0} of {1} DaemonSets of {2}", changed, daemonSets.size(),
            which.namespace());
    context.info(summary.english());
    return context.said(summary);
  }

  private boolean park(StepContext context, KubernetesClient client, String namespace, DaemonSet daemonSet)
      throws InterruptedException {
    String name = daemonSet.getMetadata().getName();
    Map<String, String> selector = selector(daemonSet);
    context.undo().recordOnce(KEY + namespace + "/" + name, client.getKubernetesSerialization().asJson(selector));
    if ("true".equals(selector.get(LABEL))) {
      context.info("DaemonSet " + namespace + "/" + name + " is parked already");
      return false;
    }
    Map<String, String> parked = new LinkedHashMap<>(selector);
    parked.put(LABEL, "true");
    return setSelector(context, client, namespace, name, parked);
  }

  private boolean unpark(StepContext context, KubernetesClient client, String namespace, DaemonSet daemonSet)
      throws InterruptedException {
    String name = daemonSet.getMetadata().getName();
    String key = KEY + namespace + "/" + name;
    Map<String, String> current = selector(daemonSet);
    Map<String, String> original;
    var recorded = context.undo().recorded(key);
    if (recorded.isPresent()) {
      original = new LinkedHashMap<>();
      Map<?, ?> values = client.getKubernetesSerialization().unmarshal(recorded.get(), Map.class);
      for (Map.Entry<?, ?> e : values.entrySet()) {
        original.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
      }
      if ("true".equals(original.get(LABEL))) {
        context.info("DaemonSet " + namespace + "/" + name + " was parked before this run: it stays parked");
      }
    } else {
      original = new LinkedHashMap<>(current);
      original.remove(LABEL);
      if (current.containsKey(LABEL)) {
        context.info("DaemonSet " + namespace + "/" + name + " has no record of this run: removing " + LABEL + " only");
      }
    }
    boolean changed = !original.equals(current) && setSelector(context, client, namespace, name, original);
    recorded.ifPresent(r -> context.undo().settle(key));
    return changed;
  }

  private static boolean setSelector(StepContext context, KubernetesClient client, String namespace, String name,
      Map<String, String> selector) throws InterruptedException {
    context.action(null, "set nodeSelector of DaemonSet " + namespace + "/" + name + " to " + selector);
    Api.call("change DaemonSet " + namespace + "/" + name, () -> client.apps().daemonSets().inNamespace(namespace)
        .withName(name).edit(d -> new DaemonSetBuilder(d).editSpec().editTemplate().editSpec()
            .withNodeSelector(selector.isEmpty() ? null : selector).endSpec().endTemplate().endSpec().build()));
    return true;
  }

  static Map<String, String> selector(DaemonSet daemonSet) {
    Map<String, String> selector = daemonSet.getSpec() == null || daemonSet.getSpec().getTemplate() == null
        || daemonSet.getSpec().getTemplate().getSpec() == null ? null
        : daemonSet.getSpec().getTemplate().getSpec().getNodeSelector();
    return selector == null ? new LinkedHashMap<>() : new LinkedHashMap<>(selector);
  }
}
