package io.lockstep.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code manual}: shows the instructions and waits for an operator to confirm, ticking every item
 * of the checklist. It is a checkpoint the engine keeps in the database, not something that runs:
 * the step waits (WAITING) holding no thread, its checklist stored with it, so a confirmation
 * given after a restart still counts. Waits without limit unless the step has a {@code timeout}.
 */
@Component
class ManualStep implements StepExecutor {

  static final String TYPE = "manual";
  private static final Set<String> PARAMS = Set.of("instructions", "instructions_zh", "checklist", "checklist_zh");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    List<StepPreview.Line> actions = new ArrayList<>();
    Object chinese = params.get("instructions_zh");
    actions.add(StepPreview.Line.of("preview.manual.confirm", "an operator confirms: {0}", StepPreview.Line.text(
        instructions(params), chinese instanceof String zh ? zh.strip().replaceAll("\\s+", " ") : null)));
    List<String> items = checklist(params);
    List<String> zh = checklistZh(params, items.size());
    for (int i = 0; i < items.size(); i++) {
      actions.add(StepPreview.Line.of("preview.manual.checklist", "checklist: {0}",
          StepPreview.Line.text(items.get(i), zh.isEmpty() ? null : zh.get(i))));
    }
    return StepPreview.of(actions);
  }


  /** Never called: the engine waits for the confirmation itself ({@link Run#awaitConfirmation}). */
  @Override
  public String execute(StepContext context) {
    throw new IllegalStateException("a manual step is a checkpoint the engine keeps; it has nothing to execute");
  }

  /** The instructions on one line, the params checked. */
  static String instructions(Map<String, Object> params) {
    for (String name : params.keySet()) {
      if (!PARAMS.contains(name)) {
        throw new IllegalArgumentException("manual has no param '" + name + "' (it takes instructions, instructions_zh, checklist, checklist_zh)");
      }
    }
    if (!(params.get("instructions") instanceof String instructions) || instructions.isBlank()) {
      throw new IllegalArgumentException("manual needs 'instructions': what the operator checks or does");
    }
    return instructions.strip().replaceAll("\\s+", " ");
  }

  static List<String> checklist(Map<String, Object> params) {
    return texts(params, "checklist");
  }

  /**
   * The checklist in Chinese, item for item ({@code checklist_zh}); empty when the step gives none.
   * A Chinese list of another length than the checklist is refused: an operator would tick items
   * that are not the ones counted.
   */
  static List<String> checklistZh(Map<String, Object> params, int items) {
    List<String> zh = texts(params, "checklist_zh");
    if (!zh.isEmpty() && zh.size() != items) {
      throw new IllegalArgumentException("manual 'checklist_zh' has " + zh.size() + " items, its checklist " + items
          + ": one Chinese text per item, in the same order");
    }
    return zh;
  }

  private static List<String> texts(Map<String, Object> params, String name) {
    Object list = params.get(name);
    if (list == null) {
      return List.of();
    }
    if (!(list instanceof List<?> items) || items.stream().anyMatch(i -> !(i instanceof String))) {
      throw new IllegalArgumentException("manual '" + name + "' is a list of texts");
    }
    return items.stream().map(String.class::cast).toList();
  }
}
