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
        .startsWith("stop-kubelet", "stop-etcd", "stop-docker");
    assertThat(p2.phase("restore").orElseThrow().steps()).extracting(Step::id)
        .startsWith("start-docker", "start-etcd", "start-kubelet");
    assertThat(p2.parameter("node").orElseThrow().required()).isTrue();
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
