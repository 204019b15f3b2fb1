package io.lockstep.run;

import java.util.List;

/**
 * What a step will do, for the approver: one line per command or Kubernetes change, in the order
 * it happens ({@code node-1: systemctl stop kubelet}, {@code scale Deployment anyshare/web to 0,
 * recording 3}), and, for steps that edit something, a diff of the edit.
 *
 * @param actions what happens, in order; at least one
 * @param diff a unified diff of what the step edits, with secret values masked; null when the
 *     step edits nothing
 */
public record StepPreview(List<String> actions, String diff) {

  public StepPreview {
    actions = List.copyOf(actions);
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a preview names at least one action");
    }
  }

  public static StepPreview of(String... actions) {
    return new StepPreview(List.of(actions), null);
  }

  public static StepPreview of(List<String> actions) {
    return new StepPreview(actions, null);
  }
}
