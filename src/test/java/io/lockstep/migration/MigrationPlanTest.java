package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the rows make of the platform: old and new nodes, control nodes, the stored data and reading it back. */
class MigrationPlanTest {

  private final Platform platform = APlatform.lab().build();

  @Test
  void theLabsMigrationRetiresTheMastersAndAddsTheWorkers() {
    MigrationPlan plan = MigrationPlan.of(APlatform.migrated(platform), platform);
    assertThat(plan.oldNodes()).containsExactly("node-1", "node-2", "node-3");
    assertThat(plan.newNodes()).containsExactly("node-4", "node-5", "node-6");
    assertThat(plan.appNamespace()).isEqualTo("anyshare");
    assertThat(plan.controlNode()).isEqualTo("node-1");
    assertThat(plan.finalControlNode()).isEqualTo("node-4");
  }

  @Test
  void aNodeKeepingOneReplicaStaysAndIsNoControlNodeBeforeOldOnes() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "prometheus-0", "node-1", "/sysvol/prometheus/data");
    MigrationPlan plan = MigrationPlan.of(rows, platform);
    assertThat(plan.oldNodes()).containsExactly("node-2", "node-3");
    assertThat(plan.controlNode()).isEqualTo("node-2");
  }

  @Test
  void theDataReadsBackAsTheSameRowsAndItsDerivedFieldsMatch() {
    MigrationPlan plan = MigrationPlan.of(APlatform.migrated(platform), platform);
    Map<String, Object> data = plan.toData();
    PlanData.Read read = PlanData.rows(data);
    assertThat(read.problems()).isEmpty();
    assertThat(read.rows()).isEqualTo(plan.rows());
    assertThat(plan.differencesFrom(data)).isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> host = ((List<Map<String, Object>>) data.get("rows")).get(10);
    assertThat(host).containsEntry("kind", "host").doesNotContainKey("conf_key").containsEntry("target_node", "node-1");
  }

  @Test
  void derivedFieldsThatDisagreeAreProblems() {
    MigrationPlan plan = MigrationPlan.of(APlatform.migrated(platform), platform);
    Map<String, Object> data = new java.util.LinkedHashMap<>(plan.toData());
    data.put("new_nodes", List.of("node-4"));
    data.remove("control_node");
    assertThat(plan.differencesFrom(data).stream().map(p -> p.line(PlanRulesTest.messages(), Locale.ROOT)))
        .containsExactly("new_nodes must be [node-4, node-5, node-6] for these rows, not [node-4]",
            "control_node must be node-1 for these rows, not (none)");
  }

  @Test
  void malformedRowsAreNamedField() {
    Map<String, Object> good = APlatform.migrated(platform).get(0).toData();
    Map<String, Object> bad = new java.util.LinkedHashMap<>(good);
    bad.put("key", "kafka-1");
    bad.put("ordinal", "one");
    bad.put("target_path", "data/kafka");
    bad.remove("bytes");
    PlanData.Read read = PlanData.rows(Map.of("rows", List.of(good, bad, "nonsense")));
    assertThat(read.rows()).hasSize(1);
    assertThat(read.problems().stream().map(p -> p.line(PlanRulesTest.messages(), Locale.ROOT))).containsExactly(
        "kafka-1: field 'ordinal' must be a whole number, 0 or more",
        "kafka-1: field 'target_path': remote path 'data/kafka' is not absolute: it must start with '/'",
        "kafka-1: field 'bytes' is missing",
        "row 3: this row is not a map of fields");
  }

  @Test
  void numbersMayBeIntegersOrLongs() {
    Map<String, Object> row = new java.util.LinkedHashMap<>(APlatform.migrated(platform).get(0).toData());
    row.put("ordinal", 0L);
    row.put("bytes", 10);
    assertThat(PlanData.rows(Map.of("rows", List.of(row))).problems()).isEmpty();
  }
}
