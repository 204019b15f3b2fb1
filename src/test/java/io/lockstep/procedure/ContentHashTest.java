package io.lockstep.procedure;

import static io.lockstep.procedure.AProcedure.YAML;
import static io.lockstep.procedure.AProcedure.yamlWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentHashTest {

  private final ProcedureLoader loader = new ProcedureLoader(StepTypes.documented());

  @Test
  void isAHexSha256() {
    assertThat(hash(YAML)).matches("[0-9a-f]{64}");
  }

  @Test
  void ignoresKeyOrderLayoutAndComments() {
    String reordered = """
        # the same procedure, written differently
        name: Sample
        phases:
        - steps:
          - repeatable: true
            params: {command: [systemctl, is-active, kubelet], "on": "${params.nodes}"}
            type: ssh.exec
            id: kubelet
          budget: 3m
          downtime: false
          name: Check
          id: check

        parameters: [{type: nodes, name: nodes, required: true}]
        id: sample
        """;
    assertThat(hash(reordered)).isEqualTo(hash(YAML));
  }

  @Test
  void sameMeaningWrittenOtherwiseHashesTheSame() {
    assertThat(hash(yamlWith("budget: 3m", "budget: 180s"))).isEqualTo(hash(YAML));
    assertThat(hash(yamlWith("    downtime: false\n", ""))).isEqualTo(hash(YAML));
    assertThat(hash(yamlWith("      repeatable: true", "      name: kubelet\n        repeatable: true")))
        .isEqualTo(hash(YAML));
  }

  @Test
  void changesWhenAStepChanges() {
    String base = hash(YAML);
    assertThat(hash(yamlWith("is-active, kubelet", "is-active, docker"))).isNotEqualTo(base);
    assertThat(hash(yamlWith("repeatable: true", "repeatable: false"))).isNotEqualTo(base);
    assertThat(hash(yamlWith("repeatable: true", "repeatable: true\n        timeout: 30s"))).isNotEqualTo(base);
    assertThat(hash(yamlWith("[systemctl, is-active, kubelet]", "[is-active, systemctl, kubelet]"))).isNotEqualTo(base);
    assertThat(hash(yamlWith("budget: 3m", "budget: 4m"))).isNotEqualTo(base);
    assertThat(hash(yamlWith("name: Check", "name: Check\n    name_zh: 检查"))).isNotEqualTo(base);
  }

  @Test
  void theRecordsHashLikeTheFileThatDescribesThem() {
    assertThat(AProcedure.withSteps(AProcedure.kubeletCheck()).contentHash()).isEqualTo(hash(YAML));
  }

  private String hash(String yaml) {
    return loader.load("x.yml", yaml, false).contentHash();
  }
}
