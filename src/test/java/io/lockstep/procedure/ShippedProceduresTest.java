package io.lockstep.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every procedure shipped in config/procedures/ loads, and the jar carries all of them. */
class ShippedProceduresTest {

  private static final Path SHIPPED = Path.of("config/procedures");
  private final ProcedureLoader loader = new ProcedureLoader(StepTypes.documented());

  @Test
  void everyShippedFileLoads() throws IOException {
    for (Path file : shippedFiles()) {
      Procedure p = loader.load(file.toString(), Files.readString(file), true).procedure();
      assertThat(file.getFileName().toString()).as("file name of %s", p.id()).isEqualTo(p.id() + ".yml");
    }
  }

  @Test
  void theJarCarriesEveryShippedFile() throws IOException {
    Procedures procedures = new Procedures(new ProcedureProperties(Path.of("target-absent")),
        StepTypes.documented(), Procedures.BUILT_IN);
    assertThat(procedures.all()).extracting(p -> p.id() + ".yml")
        .containsExactlyElementsOf(shippedFiles().stream().map(f -> f.getFileName().toString()).toList());
  }

  @Test
  void theDemoExercisesWhatTheEngineMustShow() {
    Procedure demo = load("demo-node-check");
    assertThat(demo.phases()).anyMatch(Phase::downtime).anyMatch(p -> !p.downtime());
    assertThat(demo.phases()).filteredOn(Phase::downtime).allMatch(p -> p.budget() != null);
    List<Step> steps = demo.phases().stream().flatMap(p -> p.steps().stream()).toList();
    assertThat(steps).extracting(Step::type)
        .contains("ssh.exec", "k8s.scale", "wait.pods-gone", "wait.workloads-ready", "manual");
    assertThat(steps).as("a non-repeatable step, for crash recovery").anyMatch(s -> !s.repeatable());
    assertThat(demo.bind(Map.of())).containsEntry("disk_node", "node-1").containsKey("nodes");
  }

  @Test
  void theDemoResolvesWithLabValues() {
    Procedure demo = load("demo-node-check");
    Map<String, Object> scope = Map.of("params", demo.bind(Map.of()), "run", Map.of("id", 7), "plan", Map.of());
    Step mark = demo.step("maintenance.mark-window").orElseThrow();
    assertThat(ParamResolver.resolveParams(mark, scope))
        .containsEntry("on", "node-1")
        .containsEntry("command", List.of("mkdir", "/sysvol/lockstep-demo-7"));
    Step scale = demo.step("stop-app.scale-down").orElseThrow();
    assertThat(ParamResolver.resolveParams(scale, scope)).containsEntry("workloads", List.of("Deployment/message-center"));
  }

  @Test
  void restartingAMasterStopsEtcdBetweenKubeletAndDocker() {
    Procedure p2 = load("restart-master-node");
    assertThat(p2.phase("stop-node").orElseThrow().steps()).extracting(Step::id)
        .startsWith("stop-kubelet", "etcd-quorum", "stop-etcd", "stop-docker");
    assertThat(p2.phase("restore").orElseThrow().steps()).extracting(Step::id)
        .startsWith("start-docker", "start-etcd", "start-kubelet");
    assertThat(p2.parameter("node").orElseThrow().required()).isTrue();
  }

  /**
   * Issue 13: a check that protects a destructive step runs again, as a guard, right before it in
   * the same phase (the first phase may pass hours earlier), and the early check is a guard too.
   */
  @Test
  void theChecksThatProtectADestructiveStepRunAgainRightBeforeIt() {
    Procedure p2 = load("restart-master-node");
    assertGuardRightBefore(p2, "stop-node", "stop-etcd", "etcd-quorum", "etcd.health");
    assertGuardRightBefore(p2, "evacuate", "drain", "drain-possible", "k8s.check-drain");
    assertThat(p2.step("preconditions.etcd-quorum").orElseThrow().guard()).isTrue();
    assertThat(p2.step("preconditions.drain-possible").orElseThrow().guard()).isTrue();
    assertThat(p2.step("stop-node.etcd-quorum").orElseThrow().params()).containsEntry("stopping", "${params.node}");
    Procedure p3 = load("restart-worker-node");
    assertGuardRightBefore(p3, "evacuate", "drain", "drain-possible", "k8s.check-drain");
    assertThat(p3.step("preconditions.drain-possible").orElseThrow().guard()).isTrue();
  }

  /** Every retried step of P2, P3 and P4 states its schedule, not the default of 2 s doubling. */
  @Test
  void everyRetriedStepOfTheNodeAndClusterRestartsStatesItsSchedule() {
    for (String id : List.of("restart-master-node", "restart-worker-node", "restart-cluster")) {
      Procedure p = load(id);
      List<Step> steps = new java.util.ArrayList<>(p.phases().stream().flatMap(ph -> ph.steps().stream()).toList());
      p.actions().forEach(a -> steps.addAll(a.steps()));
      for (Step step : steps) {
        if (step.retry().retries() > 0) {
          assertThat(step.retry().within()).as(id + " " + step.id() + " states how long it keeps trying")
              .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(30));
        }
      }
    }
    Step etcd = load("restart-master-node").step("return-to-service.etcd-healthy-again").orElseThrow();
    assertThat(etcd.retry().within()).as("etcd: election timeout 5 s x 12").isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(etcd.retry().waits()).first().isEqualTo(java.time.Duration.ofSeconds(2));
  }

  private static void assertGuardRightBefore(Procedure p, String phase, String destructive, String guard, String type) {
    List<Step> steps = p.phase(phase).orElseThrow().steps();
    int at = steps.stream().map(Step::id).toList().indexOf(destructive);
    assertThat(at).as(p.id() + " " + phase + "." + destructive).isPositive();
    Step before = steps.get(at - 1);
    assertThat(before.id()).isEqualTo(guard);
    assertThat(before.type()).isEqualTo(type);
    assertThat(before.guard()).as(guard + " is a guard").isTrue();
  }

  private Procedure load(String id) {
    try {
      return loader.load(id, Files.readString(SHIPPED.resolve(id + ".yml")), true).procedure();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Path> shippedFiles() throws IOException {
    try (Stream<Path> files = Files.list(SHIPPED)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
