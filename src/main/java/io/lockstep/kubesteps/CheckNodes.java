package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.check-nodes}: asserts the state of the cluster's nodes as it is now, without waiting:
 * at least {@code min_ready} nodes matching {@code selector} are Ready, and each node of
 * {@code must_include} exists, matches the selector and is Ready. Every unmet condition is named in
 * one failure.
 */
@Component
class CheckNodes implements StepExecutor {

  static final String TYPE = "k8s.check-nodes";
  static final List<String> NAMES = List.of("selector", "min_ready", "must_include");

  private final Kubernetes kubernetes;

  CheckNodes(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The checked params; at least one of {@code min_ready} and {@code must_include}. */
  record Check(Optional<String> selector, Optional<Integer> minReady, List<String> mustInclude) {

    static Check from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      Optional<String> selector = params.optionalText("selector")
          .map(s -> params.checked("selector", () -> LabelSelectors.check(s)));
      Optional<Integer> minReady = params.count("min_ready");
      List<String> mustInclude = params.texts("must_include")
          .map(list -> params.checked("must_include", () -> list.stream().map(KubeNames::node).distinct().toList()))
          .orElse(List.of());
      if (minReady.isEmpty() && mustInclude.isEmpty()) {
        throw params.invalid("give 'min_ready', 'must_include' or both: without them there is nothing to check");
      }
      return new Check(selector, minReady, mustInclude);
    }

    String nodes() {
      return selector.map(s -> "nodes matching " + s).orElse("nodes");
    }
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
    Check check = Check.from(params);
    List<Line> lines = new ArrayList<>();
    check.minReady().ifPresent(n -> lines.add(check.selector()
        .map(s -> Line.of("preview.k8s.checkNodes.minMatching", "check that at least {0} nodes matching {1} are Ready"
            + " (no waiting)", n, s))
        .orElseGet(() -> Line.of("preview.k8s.checkNodes.min", "check that at least {0} nodes are Ready (no waiting)",
            n))));
    if (!check.mustInclude().isEmpty()) {
      String named = String.join(", ", check.mustInclude());
      lines.add(check.selector()
          .map(s -> Line.of("preview.k8s.checkNodes.includeMatching", "check that {0} exist, match {1} and are Ready"
              + " (no waiting)", named, s))
          .orElseGet(() -> Line.of("preview.k8s.checkNodes.include", "check that {0} exist and are Ready (no waiting)",
              named)));
    }
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Check check = Check.from(context.params());
    KubernetesClient client = kubernetes.client();
    context.action(null, "read the cluster's " + check.nodes());
    List<Node> matching = Api.call("list the " + check.nodes(), () -> check.selector()
        .map(s -> client.nodes().withLabelSelector(s).list()).orElseGet(() -> client.nodes().list()).getItems());
    Set<String> matchingNames = names(matching, false);
    Set<String> ready = names(matching, true);
    context.info(ready.size() + " of " + matching.size() + " " + check.nodes() + " are Ready"
        + (ready.isEmpty() ? "" : ": " + String.join(", ", ready))
        + (ready.size() == matching.size() ? "" : "; not Ready: " + matchingNames.stream()
            .filter(n -> !ready.contains(n)).collect(Collectors.joining(", "))));
    List<String> problems = new ArrayList<>();
    check.minReady().filter(n -> ready.size() < n).ifPresent(n ->
        problems.add("only " + ready.size() + " " + check.nodes() + " are Ready, at least " + n + " must be"));
    Set<String> all = check.selector().isPresent() && !check.mustInclude().isEmpty()
        ? Api.call("list the nodes", () -> names(client.nodes().list().getItems(), false)) : matchingNames;
    for (String node : check.mustInclude()) {
      if (!all.contains(node)) {
        problems.add("node " + node + " is not a node of the cluster");
      } else if (!matchingNames.contains(node)) {
        problems.add("node " + node + " does not match " + check.selector().orElseThrow());
      } else if (!ready.contains(node)) {
        problems.add("node " + node + " is not Ready");
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems));
    }
    Line count = check.selector()
        .map(s -> Line.of("summary.k8s.checkNodes.matching", "{0} nodes matching {1} Ready", ready.size(), s))
        .orElseGet(() -> Line.of("summary.k8s.checkNodes.ready", "{0} nodes Ready", ready.size()));
    Line min = check.minReady()
        .map(n -> Line.of("summary.k8s.checkNodes.atLeast", "{0} (at least {1} needed)", count, n)).orElse(count);
    return context.said(check.mustInclude().isEmpty() ? min : Line.of("summary.k8s.checkNodes.including",
        "{0}; {1} Ready", min, String.join(", ", check.mustInclude())));
  }

  private static Set<String> names(List<Node> nodes, boolean readyOnly) {
    return nodes.stream().filter(n -> !readyOnly || Nodes.ready(n)).map(n -> n.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
