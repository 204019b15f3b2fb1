package io.lockstep.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records keep their own invariants, with messages a person understands. */
class ProcedureModelTest {

  @Test
  void idsAreSlugs() {
    assertThatThrownBy(() -> new Step("Scale_Down", "k8s.scale", Map.of(), true))
        .hasMessageStartingWith("step id 'Scale_Down' is not a slug");
  }

  @Test
  void stepIdsAreUniqueWithinAPhase() {
    assertThatThrownBy(() -> AProcedure.withSteps(AProcedure.kubeletCheck(), AProcedure.kubeletCheck()))
        .hasMessage("phase 'check' has two steps with id 'kubelet'");
  }

  @Test
  void aStepMayOnlyReferToDeclaredParameters() {
    Step step = new Step("look", "manual", Map.of("instructions", "check ${params.node}"), true);
    assertThatThrownBy(() -> AProcedure.withSteps(step))
        .hasMessage("step 'look' of phase 'check' refers to ${params.node}, which is not a declared parameter");
  }

  @Test
  void onlyRepeatableStepsAreRetried() {
    assertThatThrownBy(() -> new Step("mark", null, null, "ssh.exec", Map.of(), null, 2, false, null))
        .hasMessageStartingWith("step 'mark' has retries: 2 but is not repeatable");
  }

  @Test
  void stepParamsAreADeepUnmodifiableCopy() {
    java.util.ArrayList<Object> command = new java.util.ArrayList<>(List.of("df", "-k"));
    Step step = new Step("disk", "ssh.exec", Map.of("command", command), true);
    command.add("/sysvol");

    assertThat(step.params().get("command")).isEqualTo(List.of("df", "-k"));
    assertThatThrownBy(() -> ((List<?>) step.params().get("command")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Step("disk", "ssh.exec", java.util.Collections.singletonMap("on", null), true))
        .hasMessage("params of step 'disk'.on has no value");
  }

  @Test
  void namesAreLocalized() {
    Phase phase = new Phase("stop", "Stop", "停止", "Stops it", null, true, Duration.ofMinutes(3),
        List.of(AProcedure.kubeletCheck()));
    assertThat(phase.name(Locale.SIMPLIFIED_CHINESE)).isEqualTo("停止");
    assertThat(phase.name(Locale.ENGLISH)).isEqualTo("Stop");
    assertThat(phase.description(Locale.SIMPLIFIED_CHINESE)).isEqualTo("Stops it");
  }

  @Test
  void findsAStepByPhaseAndStepId() {
    Procedure p = AProcedure.withSteps(AProcedure.kubeletCheck());
    assertThat(p.step("check.kubelet")).contains(AProcedure.kubeletCheck());
    assertThat(p.step("kubelet")).isEmpty();
    assertThat(p.step("other.kubelet")).isEmpty();
  }

  @Test
  void parametersCheckAndConvertValues() {
    assertThat(new Parameter("n", Parameter.Type.INT, false, null).accept("42")).isEqualTo(42L);
    assertThat(new Parameter("b", Parameter.Type.BOOL, false, null).accept("true")).isEqualTo(true);
    assertThat(new Parameter("d", Parameter.Type.DURATION, false, null).accept("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(new Parameter("ns", Parameter.Type.NODES, false, null).accept("node-1, node-2 node-3"))
        .isEqualTo(List.of("node-1", "node-2", "node-3"));
    assertThatThrownBy(() -> new Parameter("ns", Parameter.Type.NODES, false, null).accept(List.of("node-1", "node-1")))
        .hasMessage("parameter 'ns' names node 'node-1' twice");
    assertThatThrownBy(() -> new Parameter("p", Parameter.Type.PATH, false, null).accept("/sysvol/../etc"))
        .hasMessageContaining("is not an absolute path");
    Parameter mode = new Parameter("mode", Parameter.Type.ENUM, false, "docker", null, null, false,
        List.of("docker", "containerd"));
    assertThatThrownBy(() -> mode.accept("podman")).hasMessage("parameter 'mode' is one of docker, containerd, not 'podman'");
  }

  @Test
  void parameterDeclarationsAreConsistent() {
    assertThatThrownBy(() -> new Parameter("n", Parameter.Type.INT, true, 3))
        .hasMessage("parameter 'n' is required and has a default; drop one of them");
    assertThatThrownBy(() -> new Parameter("pw", Parameter.Type.SECRET, false, "x", null, null, true, null))
        .hasMessageStartingWith("secret parameter 'pw' cannot have a default");
    assertThatThrownBy(() -> new Parameter("n", Parameter.Type.INT, false, "three"))
        .hasMessage("parameter 'n' must be a whole number, not 'three'");
  }

  @Test
  void bindFillsDefaultsAndReportsEveryProblem() {
    Procedure p = new Procedure("p", "P", null, null, null, List.of(
        new Parameter("nodes", Parameter.Type.NODES, true, null),
        new Parameter("wait", Parameter.Type.DURATION, false, "10m"),
        new Parameter("limit", Parameter.Type.INT, false, null)),
        List.of(new Phase("a", "A", null, null, null, false, null, List.of(AProcedure.kubeletCheck()))));

    assertThat(p.bind(Map.of("nodes", "node-1"))).isEqualTo(Map.of("nodes", List.of("node-1"), "wait", Duration.ofMinutes(10)));
    assertThatThrownBy(() -> p.bind(Map.of("wait", "soon", "color", "red")))
        .hasMessage("procedure 'p' has no parameter 'color'; parameter 'nodes' is required;"
            + " parameter 'wait': 'soon' is not a duration (write it like 90s, 3m or 1h30m)");
  }

  @Test
  void durationsReadAndWriteTheShortForm() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThatThrownBy(() -> Durations.parse("30m1h")).hasMessageContaining("largest first");
    assertThatThrownBy(() -> Durations.parse("PT3M")).hasMessageContaining("is not a duration");
  }

  @Test
  void problemsReadLikeCompilerMessages() {
    assertThat(new Problem("a.yml", 12, "bad")).hasToString("a.yml:12: bad");
    assertThat(new Problem("a.yml", 0, "bad")).hasToString("a.yml: bad");
  }
}
