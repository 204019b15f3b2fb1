package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TableViewTest {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(TableView.human(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(TableView.human(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(TableView.human(Duration.ofMinutes(17))).isEqualTo("17m");
    assertThat(TableView.human(Duration.ofMinutes(303))).isEqualTo("5h3m");
    assertThat(TableView.human(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(TableView.human(Duration.ofDays(12))).isEqualTo("12d");
  }

  @Test
  void podRowsShowReadinessStatusAndRestartsInTheServersOrder() {
    String list = """
        {"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[
         {"metadata":{"name":"kafka-1","namespace":"resource","creationTimestamp":"2026-01-01T00:00:00Z",
          "deletionTimestamp":"2026-01-01T00:05:00Z"},
          "spec":{"containers":[{"name":"kafka"}]},"status":{"phase":"Running"}},
         {"metadata":{"name":"kafka-0","namespace":"resource","creationTimestamp":"2026-01-01T00:00:00Z"},
          "spec":{"containers":[{"name":"kafka"}]},
          "status":{"phase":"Running","containerStatuses":[{"ready":true,"restartCount":2}]}}]}""";
    JsonNode table = json.readTree(new TableView(json).render("pods", list, Instant.parse("2026-01-01T00:10:00Z")));
    assertThat(table.path("kind").asString()).isEqualTo("Table");
    assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"kafka-0\",\"1/1\",\"Running\",2,\"10m\",\"<none>\",\"<none>\"]");
    assertThat(table.path("rows").get(1).path("cells").get(2).asString()).isEqualTo("Terminating");
    assertThat(table.path("rows").get(0).path("object").path("metadata").path("namespace").asString()).isEqualTo("resource");
  }
}
