package io.lockstep.kubesteps;

import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code wait.deleted}: waits by watch until no object of a kind with a name (or matching a label
 * selector) exists in a namespace. Returns at once when there is none.
 */
@Component
class WaitDeleted implements StepExecutor {

  static final String TYPE = "wait.deleted";
  static final List<String> NAMES = List.of("namespace", "kind", "name", "selector");

  private final Kubernetes kubernetes;

  WaitDeleted(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Selection selection = Selection.from(Params.of(TYPE, params, NAMES), NAMES);
    return StepPreview.of(selection.name().isPresent()
        ? Line.of("preview.k8s.waitDeleted.one", "wait until {0} is gone (by watch)", selection.line())
        : Line.of("preview.k8s.waitDeleted.each", "wait until {0} (by watch)", selection.noneLeft()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Selection selection = Selection.from(Params.of(TYPE, context.params(), NAMES), NAMES);
    context.action(null, "watch " + selection + " until gone");
    Watching.until(context, selection + " to be gone", List.of(new Watching.Condition<>(
        selection.source(kubernetes.client()), items -> {
          List<String> left = items.stream().map(o -> o.getMetadata().getName()).sorted().toList();
          return left.isEmpty() ? null : "still there: " + Shown.some(left);
        })));
    Line gone = gone(selection);
    context.info(gone.english());
    return context.said(gone);
  }

  private static Line gone(Selection selection) {
    return selection.name().isPresent() ? Line.of("summary.k8s.waitDeleted.gone", "{0} is gone", selection.toString())
        : selection.namespace() == null
            ? Line.of("summary.k8s.waitDeleted.none", "no {0} matching {1} is left", selection.kind(),
                selection.selector().orElseThrow())
            : Line.of("summary.k8s.waitDeleted.noneIn", "no {0} matching {1} in namespace {2} is left", selection.kind(),
                selection.selector().orElseThrow(), selection.namespace());
  }
}
