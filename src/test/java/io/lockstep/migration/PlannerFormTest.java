package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

/** The planner's form: what the page sends, the node mapping, and the rows and picture it makes. */
class PlannerFormTest {

  private final Platform platform = APlatform.lab().build();

  @Test
  void mappingANodeSendsItsContainerReplicasButNeverAHostService() {
    LinkedMultiValueMap<String, String> params = new LinkedMultiValueMap<>();
    params.add("target.kafka-1", "node-6");
    params.add("path.kafka", " /data/kafka ");
    params.add("mapFrom", "node-1");
    params.add("mapTo", "node-4");
    PlannerForm form = PlannerForm.of(params).mapped(platform);

    List<Row> rows = form.rows(platform, Facts.NONE);
    assertThat(rows).hasSize(platform.replicas().size());
    assertThat(rows).filteredOn(r -> r.sourceNode().equals("node-1") && !r.host())
        .extracting(Row::targetNode).containsOnly("node-4");
    assertThat(rows).filteredOn(Row::host).allMatch(r -> !r.moves());
    assertThat(rows).filteredOn(r -> r.key().equals("kafka-1")).singleElement()
        .satisfies(r -> assertThat(r.target()).isEqualTo(new Place("node-6", "/data/kafka")));
    assertThat(rows).filteredOn(r -> r.key().equals("zookeeper-1")).singleElement()
        .satisfies(r -> assertThat(r.moves()).isFalse());
  }

  @Test
  void thePictureHasOneArrowPerMovingRowWithLabelsApart() {
    List<Row> rows = APlatform.migrated(platform);
    MovesPicture picture = MovesPicture.of(rows, platform.nodeNames());
    assertThat(picture.arrows()).hasSize(10);
    assertThat(picture.staying()).isEqualTo(3);
    assertThat(picture.boxes()).extracting(MovesPicture.Box::node)
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
    assertThat(picture.boxes()).filteredOn(MovesPicture.Box::source).extracting(MovesPicture.Box::node)
        .containsExactly("node-1", "node-2", "node-3");
    assertThat(picture.arrows().stream().map(a -> a.labelY()).distinct()).hasSize(10);
    MovesPicture.Arrow kafka1 = picture.arrows().stream().filter(a -> a.key().equals("kafka-1")).findFirst().orElseThrow();
    assertThat(kafka1.title()).isEqualTo("kafka-1: node-2:/sysvol/kafka/kafka_data → node-5:/sysvol/kafka/kafka_data (10.0 MiB)");
    assertThat(kafka1.x1()).isLessThan(kafka1.x2());
    assertThat(picture.height()).isGreaterThan(kafka1.y2());
  }

  @Test
  void aStoredPlanOpensWithItsTargetsAndPathsAndNoSecret() {
    Map<String, Object> data = MigrationPlan.of(APlatform.migrated(platform), platform).toData();
    var procedure = new io.lockstep.procedure.Procedure("proton-node-migration", "P1", null, null, null,
        List.of(new io.lockstep.procedure.Parameter("ssh_password", io.lockstep.procedure.Parameter.Type.SECRET, true,
            null, null, null, true, List.of()),
            new io.lockstep.procedure.Parameter("bwlimit", io.lockstep.procedure.Parameter.Type.INT, false, 100L)),
        List.of(new io.lockstep.procedure.Phase("p", "P", null, null, null, false, null,
            List.of(new io.lockstep.procedure.Step("look", "manual", Map.of("instructions", "look"), true)))));
    var plan = new io.lockstep.run.Plan("plan-7", "proton-node-migration", "t", 2, "h".repeat(64), "p",
        Map.of("ssh_password", "s3cret", "bwlimit", 5000L), data, "op1", java.time.Instant.EPOCH, "op1",
        java.time.Instant.EPOCH);
    PlannerForm form = PlannerForm.of(plan, procedure);
    assertThat(form.targets()).containsEntry("kafka-2", "node-6").containsEntry("proton-cr-registry-1", "node-2");
    assertThat(form.values()).containsEntry("bwlimit", "5000").doesNotContainKey("ssh_password");
    assertThat(form.version()).isEqualTo(2);
    assertThat(form.values(procedure, plan.values())).containsEntry("ssh_password", "s3cret");
  }
}
