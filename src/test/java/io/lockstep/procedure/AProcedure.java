package io.lockstep.procedure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Procedures for tests: a small valid file whose lines the tests name, and the same as records. */
final class AProcedure {

  /** A valid procedure; the line numbers in the comments are what the loader tests rely on. */
  static final String YAML = """
      id: sample
      name: Sample
      parameters:
        - name: nodes
          type: nodes
          required: true
      phases:
        - id: check
          name: Check
          downtime: false
          budget: 3m
          steps:
            - id: kubelet
              type: ssh.exec
              params:
                on: ${params.nodes}
                command: [systemctl, is-active, kubelet]
              repeatable: true
      """;
  // lines: 1 id, 3 parameters, 4 - name: nodes, 7 phases, 8 - id: check, 11 budget, 12 steps,
  // 13 - id: kubelet, 14 type, 15 params, 16 on, 17 command, 18 repeatable

  private AProcedure() {}

  /** {@link #YAML} with one exact piece of text replaced; fails if the piece is not there. */
  static String yamlWith(String piece, String replacement) {
    if (!YAML.contains(piece)) {
      throw new IllegalArgumentException("the sample has no '" + piece + "'");
    }
    return YAML.replace(piece, replacement);
  }

  static Procedure withSteps(Step... steps) {
    return new Procedure("sample", "Sample", null, null, null,
        List.of(new Parameter("nodes", Parameter.Type.NODES, true, null)),
        List.of(new Phase("check", "Check", null, null, null, false, Duration.ofMinutes(3), List.of(steps))));
  }

  static Step kubeletCheck() {
    return new Step("kubelet", "ssh.exec",
        Map.of("on", "${params.nodes}", "command", List.of("systemctl", "is-active", "kubelet")), true);
  }
}
