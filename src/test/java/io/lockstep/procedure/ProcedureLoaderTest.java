package io.lockstep.procedure;

import static io.lockstep.procedure.AProcedure.YAML;
import static io.lockstep.procedure.AProcedure.yamlWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcedureLoaderTest {

  private final ProcedureLoader loader = new ProcedureLoader(StepTypes.documented());

  @Test
  void readsAValidFile() {
    Procedure p = loader.load("sample.yml", YAML, false).procedure();

    assertThat(p.id()).isEqualTo("sample");
    assertThat(p.phases().get(0).budget()).isEqualTo(Duration.ofMinutes(3));
    Step step = p.phases().get(0).steps().get(0);
    assertThat(step.type()).isEqualTo("ssh.exec");
    assertThat(step.repeatable()).isTrue();
    assertThat(step.params()).containsEntry("on", "${params.nodes}")
        .containsEntry("command", List.of("systemctl", "is-active", "kubelet"));
    assertThat(loader.load("sample.yml", YAML, false).idLine()).isEqualTo(1);
  }

  @Test
  void unknownKeyIsReportedOnItsLineWithASuggestion() {
    assertThat(problems(yamlWith("repeatable: true", "repeatible: true"))).containsExactly(
        "x.yml:18: unknown key 'repeatible' in step 'kubelet' of phase 'check' (did you mean 'repeatable'?)",
        "x.yml:13: step 'kubelet' of phase 'check' has no 'repeatable': say true if running it twice is safe,"
            + " false if not (after a crash the engine runs a repeatable step again and stops at any other)");
  }

  @Test
  void unknownKeyWithoutLikelyMeaningListsTheKnownKeys() {
    assertThat(problems(yamlWith("name: Sample", "name: Sample\nowner: ops"))).containsExactly(
        "x.yml:3: unknown key 'owner' in the procedure; known keys: actions, description, description_zh, id, name,"
            + " name_zh, parameters, phases, warning, warning_zh");
  }

  @Test
  void missingRepeatableIsALoadError() {
    assertThat(problems(yamlWith("        repeatable: true\n", ""))).singleElement().asString()
        .startsWith("x.yml:13: step 'kubelet' of phase 'check' has no 'repeatable'");
  }

  @Test
  void duplicateStepIdNamesBothLines() {
    String second = """
                repeatable: true
              - id: kubelet
                type: manual
                params: { instructions: look }
                repeatable: true
        """;
    assertThat(problems(yamlWith("        repeatable: true\n", second))).containsExactly(
        "x.yml:19: phase 'check' has two steps with id 'kubelet' (the first is at line 13)");
  }

  @Test
  void duplicatePhaseIdAndParameterName() {
    String text = yamlWith("    required: true\n", """
            required: true
          - name: nodes
            type: text
        """) + """
          - id: check
            name: Again
            steps:
              - { id: look, type: manual, params: { instructions: look }, repeatable: true }
        """;
    assertThat(problems(text)).containsExactly(
        "x.yml:7: two parameters named 'nodes' (the first is at line 4)",
        "x.yml:21: two phases with id 'check' (the first is at line 10)");
  }

  @Test
  void referenceToAnUndeclaredParameter() {
    assertThat(problems(yamlWith("on: ${params.nodes}", "on: ${params.node}"))).containsExactly(
        "x.yml:16: ${params.node} in step 'kubelet' of phase 'check' names no declared parameter"
            + " (did you mean 'nodes'?)");
  }

  @Test
  void referencesAreCheckedDeepInsideListsAndMaps() {
    String text = yamlWith("command: [systemctl, is-active, kubelet]",
        "command: [systemctl, is-active, \"${params.unit}\"]\n          env: { X: \"${HOME}\", Y: \"$${HOME}\", Z: \"${run.id\" }");
    assertThat(problems(text)).containsExactly(
        "x.yml:17: ${params.unit} in step 'kubelet' of phase 'check' names no declared parameter; declared: nodes",
        "x.yml:18: params.env.X of step 'kubelet' of phase 'check': '${HOME}' is not a reference (write"
            + " ${params.NAME}, ${plan.…} or ${run.…}, or $${ for a literal ${)",
        "x.yml:18: params.env.Z of step 'kubelet' of phase 'check': '${run.id' has no closing '}'"
            + " (write $${ for a literal ${)");
  }

  @Test
  void planAndRunReferencesAreCheckedForSyntaxOnly() {
    String text = yamlWith("on: ${params.nodes}", "on: ${plan.rows[0].node}\n          marker: /tmp/${run.id}");
    assertThat(problems(text)).isEmpty();
  }

  @Test
  void badDuration() {
    assertThat(problems(yamlWith("budget: 3m", "budget: 3 min"))).containsExactly(
        "x.yml:11: 'budget' of phase 'check': '3 min' is not a duration (write it like 90s, 3m or 1h30m)");
    assertThat(problems(yamlWith("budget: 3m", "budget: 20"))).containsExactly(
        "x.yml:11: 'budget' of phase 'check' must be a duration (write it like 90s, 3m or 1h30m), not '20'");
  }

  @Test
  void unknownStepTypeSuggestsTheClosestKnownOne() {
    assertThat(problems(yamlWith("type: ssh.exec", "type: ssh.exc"))).containsExactly(
        "x.yml:14: step 'kubelet' of phase 'check' has unknown type 'ssh.exc' (did you mean 'ssh.exec'?)");
  }

  @Test
  void stepTypesComeFromTheEngine() {
    ProcedureLoader onlyManual = new ProcedureLoader(StepTypes.of(List.of("manual")));
    ProcedureLoadException e = catchThrowableOfType(ProcedureLoadException.class,
        () -> onlyManual.load("x.yml", YAML, false));
    assertThat(e.problems()).extracting(Problem::toString).containsExactly(
        "x.yml:14: step 'kubelet' of phase 'check' has unknown type 'ssh.exec'; known types: manual");
  }

  @Test
  void wrongTypesOfValues() {
    String text = yamlWith("repeatable: true", "repeatable: yes\n        retries: two")
        .replace("downtime: false", "downtime: [no]")
        .replace("required: true", "required: 1");
    assertThat(problems(text)).containsExactly(
        "x.yml:6: 'required' of parameter 'nodes' must be true or false, not '1'",
        "x.yml:10: 'downtime' of phase 'check' must be true or false, not a list",
        "x.yml:18: 'repeatable' of step 'kubelet' of phase 'check' must be true or false, not text 'yes'",
        "x.yml:19: 'retries' of step 'kubelet' of phase 'check' must be a whole number, 0 or more, not text 'two'");
  }

  @Test
  void allProblemsOfAFileAreReportedTogether() {
    String text = YAML.replace("id: sample", "id: Sample_1")
        .replace("type: nodes", "type: nodez")
        .replace("budget: 3m", "budget: soon")
        .replace("type: ssh.exec", "type: sh.exec")
        .replace("on: ${params.nodes}", "on: ${params.hosts}")
        .replace("repeatable: true", "repeatable: maybe");
    assertThat(problems(text)).hasSize(6).extracting(s -> s.substring(0, s.indexOf(' ')))
        .containsExactly("x.yml:1:", "x.yml:5:", "x.yml:11:", "x.yml:14:", "x.yml:18:", "x.yml:16:");
  }

  @Test
  void yamlSyntaxErrorNamesItsLine() {
    assertThat(problems(yamlWith("name: Check", "name: Check\n    budget: [3m"))).singleElement().asString()
        .startsWith("x.yml:").contains("not valid YAML");
  }

  @Test
  void fileShapes() {
    assertThat(problems("")).containsExactly("x.yml:1: the file is empty; it should hold one procedure");
    assertThat(problems("- a\n- b\n")).containsExactly(
        "x.yml:1: the procedure must be a mapping of keys to values, not a list");
    assertThat(problems(YAML + "---\nid: other\n")).containsExactly(
        "x.yml:20: a second YAML document starts here; a file holds one procedure");
    assertThat(problems(yamlWith("name: Sample", "name: Sample\nname: Twice"))).containsExactly(
        "x.yml:3: key 'name' appears twice (first at line 2)");
    assertThat(problems(yamlWith("name: Check", "name: &n Check\n    name_zh: *n"))).containsExactly(
        "x.yml:10: aliases (*name) are not supported in procedure files; write the value out");
  }

  static final String RECOVERY = YAML + """
      actions:
        - id: start-kubelet
          name: Start kubelet again
          after: [check]
          requires: approver
          checks:
            - id: kubelet-active
              type: systemd.active
              params: { on: "${params.nodes}", units: [kubelet] }
              repeatable: true
          steps:
            - id: start
              type: ssh.exec
              params: { on: "${params.nodes}", command: [systemctl, start, kubelet] }
              repeatable: true
        - id: look
          type: k8s.check-nodes
          params: { min_ready: 1 }
          repeatable: true
      """;

  @Test
  void aRecoveryActionNamesThePhasesItTakesBackItsChecksAndWhoMayRunIt() {
    Procedure p = loader.load("sample.yml", RECOVERY, false).procedure();
    Action back = p.action("start-kubelet").orElseThrow();
    assertThat(back.after()).containsExactly("check");
    assertThat(back.approver()).isTrue();
    assertThat(back.recovers()).isTrue();
    assertThat(back.checks()).extracting(Step::type).containsExactly("systemd.active");
    assertThat(back.steps()).extracting(Step::id).containsExactly("start");
    Action shortForm = p.action("look").orElseThrow();
    assertThat(shortForm.recovers()).isFalse();
    assertThat(shortForm.steps()).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo("look"));
  }

  @Test
  void aCheckThatMayChangeThingsAnUnknownPhaseAndAnUnknownRoleAreRefused() {
    assertThat(problems(RECOVERY.replace("type: systemd.active", "type: ssh.exec")
        .replace("{ on: \"${params.nodes}\", units: [kubelet] }", "{ on: \"${params.nodes}\", command: [systemctl, start, kubelet] }")))
        .singleElement().asString().contains("check 'kubelet-active' of action 'start-kubelet' has type 'ssh.exec',"
            + " which may change things");
    assertThat(problems(RECOVERY.replace("after: [check]", "after: [stop]"))).singleElement().asString()
        .contains("'after' of action 'start-kubelet' names phases of the procedure (check), not text 'stop'");
    assertThat(problems(RECOVERY.replace("requires: approver", "requires: boss"))).singleElement().asString()
        .contains("'requires' of action 'start-kubelet' is 'operator' (the default) or 'approver'");
  }

  @Test
  void aParameterSaysWhatItsValueIs() {
    assertThat(problems(yamlWith("type: nodes", "type: string"))).containsExactly(
        "x.yml:5: 'type' of parameter 'nodes' cannot be 'string' any more: say what the value is (k8s_name,"
            + " k8s_namespace, node, nodeset, user, path, secret, or text for free text of at most 'max' characters,"
            + " 256 unless set)");
    assertThat(problems(yamlWith("type: nodes", "type: int"))).containsExactly(
        "x.yml:4: int parameter 'nodes' needs 'min' and 'max': the range a plan may give");
    assertThat(problems(yamlWith("type: nodes", "type: duration\n    min: 1s"))).containsExactly(
        "x.yml:4: duration parameter 'nodes' needs 'min' and 'max': the range a plan may give");
    assertThat(problems(yamlWith("type: nodes", "type: text\n    max: 0"))).singleElement().asString()
        .contains("'max' of parameter 'nodes' must be from 1 to 65536, not 0");
    assertThat(problems(yamlWith("type: nodes", "type: nodes\n    secret: true"))).singleElement().asString()
        .contains("parameter 'nodes' is secret: give it type secret");
  }

  @Test
  void boundsAreReadAndDefaultsChecked() {
    Procedure p = loader.load("x.yml", yamlWith("    required: true\n", """
            required: true
          - name: wait
            type: duration
            min: 1s
            max: 1h
            default: 2m
          - name: note
            type: text
            max: 20
        """), false).procedure();
    assertThat(p.parameter("wait").orElseThrow().max()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(p.parameter("note").orElseThrow().max()).isEqualTo(20L);
    assertThat(problems(yamlWith("    required: true\n", """
            required: true
          - name: wait
            type: duration
            min: 1s
            max: 1h
            default: 2h
        """))).singleElement().asString().contains("parameter 'wait' must be from 1s to 1h, not 2h");
  }

  private List<String> problems(String text) {
    try {
      loader.load("x.yml", text, false);
      return List.of();
    } catch (ProcedureLoadException e) {
      assertThat(e.getMessage()).contains(e.problems().get(0).toString());
      return e.problems().stream().map(Problem::toString).toList();
    }
  }
}
