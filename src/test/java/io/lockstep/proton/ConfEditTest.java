package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The structural edit of proton-cli's configuration: only what the plan says changes, idempotently. */
class ConfEditTest {

  static final String CONF = """
      apiVersion: v1
      nodes:
        - name: node-1
          ip4: 10.0.0.1
          port: 22
          labels:
            zone: a
        - name: node-2
          ip4: 10.0.0.2
      cs:
        master:
          - node-1
          - node-2
        version: 2.16.0
        ha_port: 16643
      kafka:
        hosts:
          - node-1
          - node-2
        data_path: /sysvol/kafka
        extra: "0755"
      grafana:
        hosts:
          - node-2
        data_path: /sysvol/grafana
      unknown_section:
        keep: [1, 2]
      """;

  static ObjectNode conf() {
    return Yaml.mapping(CONF).orElseThrow();
  }

  static Map<String, Placement> kafkaTo(String... targets) {
    return Map.of("kafka", new Placement("kafka", List.of("node-1", "node-2"), List.of(targets), "/data/kafka"));
  }

  @Test
  void aNewNodeCopiesTheShapeOfTheFirstEntryAndJoinsTheMasters() {
    ConfEdit.Result edit = ConfEdit.edit(conf(), new LinkedHashMap<>(Map.of("node-3", "10.0.0.3")), List.of(), Map.of());

    String written = Yaml.write(edit.edited());
    assertThat(written).contains("""
          - name: node-3
            ip4: 10.0.0.3
            port: 22
            labels:
              zone: a
        cs:
          master:
            - node-1
            - node-2
            - node-3
        """);
    assertThat(edit.changes()).containsExactly(
        "added node-3 under .nodes with ip4 10.0.0.3 (port, labels copied from node-1's entry)",
        "added node-3 under .cs.master");
    ObjectNode rest = edit.edited().deepCopy();
    ((tools.jackson.databind.node.ArrayNode) rest.get("nodes")).remove(2);
    ((tools.jackson.databind.node.ArrayNode) rest.get("cs").get("master")).remove(2);
    assertThat(rest).isEqualTo(conf());
    assertThat(written).contains("extra: \"0755\"", "ha_port: 16643", "unknown_section:");
  }

  @Test
  void theEditIsIdempotent() {
    ConfEdit.Result first = ConfEdit.edit(conf(), Map.of("node-3", "10.0.0.3"), List.of("node-1"), kafkaTo("node-3", "node-2"));
    ConfEdit.Result again = ConfEdit.edit(first.edited(), Map.of("node-3", "10.0.0.3"), List.of("node-1"),
        kafkaTo("node-3", "node-2"));

    assertThat(first.changes()).contains("kafka: hosts node-1, node-2 → node-3, node-2; data_path /sysvol/kafka → "
        + "/data/kafka", "removed node-1 from .nodes", "removed node-1 from .cs.master");
    assertThat(again.changed()).isFalse();
    assertThat(again.edited()).isEqualTo(first.edited());
    assertThat(again.alreadyDone()).contains("node-3 already under .nodes", "node-1 already gone from .nodes",
        "kafka already on node-3, node-2 at /data/kafka");
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> ConfEdit.edit(conf(), Map.of(), List.of("node-2"), kafkaTo("node-3", "node-1")))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("node-2 is to be removed, but section grafana still lists it under hosts; nothing was edited");
    assertThatThrownBy(() -> ConfEdit.edit(conf(), Map.of(), List.of("node-1"), kafkaTo("node-1", "node-2")))
        .hasMessage("node-1 is to be removed, but the plan keeps kafka replica 0 on it; nothing was edited");
    assertThatThrownBy(() -> ConfEdit.edit(conf(), Map.of(), List.of(),
        Map.of("kafka", new Placement("kafka", List.of("node-1"), List.of("node-3"), "/k"))))
        .hasMessageStartingWith("the configuration lists 2 hosts for kafka (node-1, node-2) but the plan has rows for 1");
    assertThatThrownBy(() -> ConfEdit.edit(Yaml.mapping("cs: {master: []}").orElseThrow(), Map.of(), List.of(), Map.of()))
        .hasMessage("the configuration has no .nodes list; nothing was edited");
  }
}
