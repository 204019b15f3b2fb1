package io.lockstep.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code manual}: shows the instructions and waits for an operator to confirm, ticking every item
 * of the checklist. Waits without limit unless the step has a timeout.
 */
@Component
class ManualStep implements StepExecutor {

  private static final Set<String> PARAMS = Set.of("instructions", "instructions_zh", "checklist");

  private final Confirmations confirmations;
  private final RunStore store;

  ManualStep(Confirmations confirmations, RunStore store) {
    this.confirmations = confirmations;
    this.store = store;
  }

  @Override
  public String type() {
    return "manual";
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofDays(3650);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    for (String name : params.keySet()) {
      if (!PARAMS.contains(name)) {
        throw new IllegalArgumentException("manual has no param '" + name + "' (it takes instructions, instructions_zh, checklist)");
      }
    }
    if (!(params.get("instructions") instanceof String instructions) || instructions.isBlank()) {
      throw new IllegalArgumentException("manual needs 'instructions': what the operator checks or does");
    }
    List<String> actions = new ArrayList<>();
    actions.add("an operator confirms: " + instructions.strip().replaceAll("\\s+", " "));
    checklist(params).forEach(item -> actions.add("checklist: " + item));
    return StepPreview.of(actions);
  }

  @Override
  public String execute(StepContext context) throws InterruptedException {
    preview(context.params());
    List<String> checklist = checklist(context.params());
    context.info("waiting for an operator to confirm: "
        + ((String) context.params().get("instructions")).strip().replaceAll("\\s+", " "));
    String[] key = context.step().split("\\.", 2);
    store.stepState(context.runId(), key[0], key[1], List.of(RunStep.State.RUNNING), RunStep.State.WAITING, null, null);
    String by = confirmations.await(context.runId(), context.step(), checklist);
    return "confirmed by " + by + (checklist.isEmpty() ? "" : " (" + checklist.size() + " items checked)");
  }

  static List<String> checklist(Map<String, Object> params) {
    Object list = params.get("checklist");
    if (list == null) {
      return List.of();
    }
    if (!(list instanceof List<?> items) || items.stream().anyMatch(i -> !(i instanceof String))) {
      throw new IllegalArgumentException("manual 'checklist' is a list of texts");
    }
    return items.stream().map(String.class::cast).toList();
  }
}
