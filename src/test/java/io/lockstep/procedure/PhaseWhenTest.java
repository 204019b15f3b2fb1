package io.lockstep.procedure;

import static io.lockstep.procedure.AProcedure.YAML;
import static io.lockstep.procedure.AProcedure.yamlWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A phase's {@code when}: read, checked as a step's is, hashed only where written (procedures that
 * do not use it keep their hash), resolved against the plan's values; P1's optional pre-warm uses it.
 */
class PhaseWhenTest {

  private final ProcedureLoader loader = new ProcedureLoader(StepTypes.documented());

  static final String OPTIONAL = yamlWith("    required: true\n",
      "    required: true\n  - name: extra\n    type: bool\n    default: false\n")
      .replace("    downtime: false\n", "    downtime: false\n    when: ${params.extra}\n");

  @Test
  void aPhaseWhenIsReadAndResolvedAgainstThePlansValues() {
    Procedure procedure = loader.load("x.yml", OPTIONAL, false).procedure();
    Phase phase = procedure.phase("check").orElseThrow();
    assertThat(phase.when()).isEqualTo("${params.extra}");
    assertThat(ParamResolver.shouldRun(phase, Map.of("params", Map.of("extra", true)))).isTrue();
    assertThat(ParamResolver.shouldRun(phase, Map.of("params", Map.of("extra", false)))).isFalse();
    assertThat(ParamResolver.shouldRun(phase, Map.of("params", Map.of("extra", "false")))).isFalse();
  }

  @Test
  void theHashCountsAPhaseWhenAndOnlyWhereItIsWritten() {
    Procedure without = loader.load("x.yml", OPTIONAL.replace("    when: ${params.extra}\n", ""), false).procedure();
    Procedure with = loader.load("x.yml", OPTIONAL, false).procedure();
    assertThat(with.contentHash()).isNotEqualTo(without.contentHash());
    assertThat(ContentHash.canonical(loader.load("x.yml", YAML, false).procedure()).toString()).doesNotContain("when");
    assertThat(loader.load("x.yml", YAML, false).procedure().contentHash())
        .as("a procedure without a phase when hashes as before").isEqualTo(AProcedure.withSteps(AProcedure.kubeletCheck()).contentHash());
  }

  @Test
  void aPhaseWhenMustNameOneDeclaredBoolParameter() {
    assertThat(problems(OPTIONAL.replace("${params.extra}", "${params.missing}"))).anySatisfy(p ->
        assertThat(p).contains("${params.missing}").contains("names no declared parameter"));
    assertThat(problems(OPTIONAL.replace("when: ${params.extra}", "when: ${params.nodes}"))).anySatisfy(p ->
        assertThat(p).contains("'when' of phase 'check' needs a bool parameter; 'nodes' is nodes"));
    assertThat(problems(OPTIONAL.replace("when: ${params.extra}", "when: yes ${params.extra}"))).anySatisfy(p ->
        assertThat(p).contains("'when' must be a single reference"));
  }

  @Test
  void p1sPreWarmIsSwitchedOnAndOffByItsParameter() throws Exception {
    Procedure p1 = loader.load("proton-node-migration.yml",
        Files.readString(Path.of("config/procedures/proton-node-migration.yml")), false).procedure();
    assertThat(p1.phase("prewarm").orElseThrow().when()).isEqualTo("${params.prewarm}");
    assertThat(p1.phases()).filteredOn(p -> p.when() != null).extracting(Phase::id).containsExactly("prewarm");
  }

  private java.util.List<String> problems(String yaml) {
    ProcedureLoadException e = catchThrowableOfType(ProcedureLoadException.class,
        () -> loader.load("x.yml", yaml, false));
    assertThat(e).as("refused").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }
}
