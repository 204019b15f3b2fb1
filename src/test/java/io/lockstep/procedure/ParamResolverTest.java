package io.lockstep.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamResolverTest {

  private final Map<String, Object> scope = Map.of(
      "params", Map.of("nodes", List.of("node-1", "node-2"), "namespace", "anyshare", "wait", Duration.ofMinutes(10),
          "prewarm", false, "replicas", 3L),
      "plan", Map.of("rows", List.of(Map.of("node", "node-4", "path", "/sysvol/kafka"))),
      "run", Map.of("id", 42));

  @Test
  void aWholeReferenceKeepsTheValuesType() {
    assertThat(ParamResolver.resolve("${params.nodes}", scope)).isEqualTo(List.of("node-1", "node-2"));
    assertThat(ParamResolver.resolve("${params.replicas}", scope)).isEqualTo(3L);
    assertThat(ParamResolver.resolve("${plan.rows[0]}", scope)).isEqualTo(Map.of("node", "node-4", "path", "/sysvol/kafka"));
  }

  @Test
  void referencesInTextAreWrittenAsText() {
    assertThat(ParamResolver.resolve("mkdir /sysvol/demo-${run.id}", scope)).isEqualTo("mkdir /sysvol/demo-42");
    assertThat(ParamResolver.resolve("on ${params.nodes} for ${params.wait}", scope)).isEqualTo("on node-1 node-2 for 10m");
    assertThat(ParamResolver.resolve("${plan.rows[0].node}:${plan.rows[0].path}", scope)).isEqualTo("node-4:/sysvol/kafka");
  }

  @Test
  void resolvesNestedListsAndMapsLeavingOtherValuesAlone() {
    Map<String, Object> template = Map.of(
        "namespace", "${params.namespace}",
        "command", List.of("systemctl", "is-active", "kubelet", "${params.nodes}"),
        "target", Map.of("node", "${plan.rows[0].node}", "limit", 5000, "record", true));

    assertThat(ParamResolver.resolve(template, scope)).isEqualTo(Map.of(
        "namespace", "anyshare",
        "command", List.of("systemctl", "is-active", "kubelet", List.of("node-1", "node-2")),
        "target", Map.of("node", "node-4", "limit", 5000, "record", true)));
  }

  @Test
  void doubleDollarEscapes() {
    assertThat(ParamResolver.resolve("echo $${HOME} in ${params.namespace}, cost $5", scope))
        .isEqualTo("echo ${HOME} in anyshare, cost $5");
    assertThat(ParamResolver.references("echo $${HOME}")).isEmpty();
  }

  @Test
  void aMissingValueNamesTheStepAndTheReference() {
    Step step = new Step("scale-down", "k8s.scale", Map.of("namespace", "${params.app_namespace}"), true);

    assertThatThrownBy(() -> ParamResolver.resolveParams(step, scope))
        .isInstanceOf(ParamResolver.UnresolvedReferenceException.class)
        .hasMessage("step 'scale-down': ${params.app_namespace} has no value: there is no params.app_namespace")
        .satisfies(e -> {
          ParamResolver.UnresolvedReferenceException u = (ParamResolver.UnresolvedReferenceException) e;
          assertThat(u.stepId()).isEqualTo("scale-down");
          assertThat(u.reference()).isEqualTo("${params.app_namespace}");
        });
  }

  @Test
  void missingValuesDeepInsideAndOutOfRange() {
    assertThatThrownBy(() -> ParamResolver.resolve("${plan.rows[3].node}", scope))
        .hasMessage("${plan.rows[3].node} has no value: there is no plan.rows[3]");
    assertThatThrownBy(() -> ParamResolver.resolve(List.of("x", Map.of("k", "${run.requester}")), scope))
        .hasMessage("${run.requester} has no value: there is no run.requester");
    assertThatThrownBy(() -> ParamResolver.resolve("${run.id}", Map.of()))
        .hasMessage("${run.id} has no value: the scope holds no 'run'");
  }

  @Test
  void aMapCannotBeWrittenIntoText() {
    assertThatThrownBy(() -> ParamResolver.resolve("row ${plan.rows[0]}", scope))
        .hasMessage("${plan.rows[0]} is a map and cannot be written into text");
  }

  @Test
  void whenDecidesWhetherAStepRuns() {
    Step always = new Step("a", "manual", Map.of(), true);
    Step prewarm = new Step("b", null, null, "manual", Map.of(), null, 0, true, "${params.prewarm}");
    Step broken = new Step("c", null, null, "manual", Map.of(), null, 0, true, "${params.namespace}");

    assertThat(ParamResolver.shouldRun(always, scope)).isTrue();
    assertThat(ParamResolver.shouldRun(prewarm, scope)).isFalse();
    assertThatThrownBy(() -> ParamResolver.shouldRun(broken, scope))
        .hasMessage("step 'c': ${params.namespace} is 'anyshare', not true or false");
  }

  @Test
  void listsTheReferencesOfATemplate() {
    assertThat(ParamResolver.references(List.of("proton-cli", "-p", "${params.password}", "${run.id}-${params.password}")))
        .containsExactly("params.password", "run.id");
  }
}
