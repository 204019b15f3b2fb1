package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The params of the proton steps are checked before anything is read, each problem named. */
class ParamsTest {

  static Map<String, Object> conf(Object... pairs) {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("node", "node-1", "file", "/root/x/middle.yaml"));
    for (int i = 0; i < pairs.length; i += 2) {
      params.put((String) pairs[i], pairs[i + 1]);
    }
    return params;
  }

  static Map<String, Object> row(String key, String confKey, Object ordinal, String source, String target,
      String path) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", key);
    row.put("kind", "helm");
    row.put("conf_key", confKey);
    row.put("ordinal", ordinal);
    row.put("source_node", source);
    row.put("target_node", target);
    row.put("target_path", path);
    return row;
  }

  @Test
  void confParamsAreChecked() {
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("nodes", List.of("node-4"))))
        .hasMessage("proton.conf: unknown param 'nodes'; proton.conf takes node, file, rows, add_nodes, remove_nodes, "
            + "password, retry_on, check");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("file", "middle.yaml")))
        .hasMessageStartingWith("proton.conf: param 'file' ");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("add_nodes", List.of("node-4"), "remove_nodes", List.of("node-4"))))
        .hasMessage("proton.conf: param 'remove_nodes' names node-4, which add_nodes adds");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("remove_nodes", List.of("node-1"))))
        .hasMessage("proton.conf: param 'remove_nodes' names node-1, where proton-cli runs (param 'node')");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("add_nodes", List.of("node-4; reboot"))))
        .hasMessageStartingWith("proton.conf: param 'add_nodes' ");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("password", 12345)))
        .hasMessage("proton.conf: param 'password' must be a non-empty text");
    ApplyConf.Request request = ApplyConf.Request.from(conf("password", "s3cret pass", "add_nodes", List.of("node-4")));
    assertThat(request.apply().toString()).isEqualTo("proton-cli apply -f /root/x/middle.yaml -p ******");
    assertThat(request.apply().argv()).endsWith("s3cret pass");
    assertThat(request.retryOn()).isEqualTo("kubesuite");
  }

  @Test
  void rowsArePlacementsByConfKey() {
    List<Object> rows = List.of(
        row("kafka-1", "kafka", 1L, "node-2", "node-5", "/data/kafka"),
        row("kafka-0", "kafka", 0, "node-1", "node-4", "/data/kafka"),
        Map.of("key", "registry-0", "kind", "host", "ordinal", 0, "source_node", "node-1", "target_node", "node-1"));

    Map<String, Placement> placements = ApplyConf.Request.from(conf("rows", rows)).placements();

    assertThat(placements).containsOnlyKeys("kafka");
    assertThat(placements.get("kafka")).isEqualTo(new Placement("kafka", List.of("node-1", "node-2"),
        List.of("node-4", "node-5"), "/data/kafka"));
  }

  @Test
  void rowsThatCannotBeAPlacementAreRefused() {
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("rows", List.of(
        row("kafka-0", "kafka", 0, "node-1", "node-4", "/a"), row("kafka-1", "kafka", 1, "node-2", "node-5", "/b")))))
        .hasMessageContaining("row kafka-1: target_path /b differs from /a of another row of kafka");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("rows", List.of(
        row("kafka-0", "kafka", 0, "node-1", "node-4", "/a"), row("kafka-2", "kafka", 2, "node-2", "node-5", "/a")))))
        .hasMessageContaining("kafka has rows for replica ordinals [0, 2]");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("rows", List.of(
        row("kafka-0", "kafka", 0, "node-1", "node-4", "/a"), row("kafka-1", "kafka", 1, "node-2", "node-4", "/a")))))
        .hasMessageContaining("kafka would put two replicas on one node");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("rows", List.of(
        row("kafka-0", "kafka; rm", 0, "node-1", "node-4", "/a")))))
        .hasMessageContaining("row kafka-0: conf_key must be a section name");
    assertThatThrownBy(() -> ApplyConf.Request.from(conf("rows", List.of(
        row("kafka-0", "kafka", 0, "node-1", "node-4", "relative")))))
        .hasMessageContaining("row kafka-0: target_path: ");
    assertThatThrownBy(() -> RewriteSecrets.Request.from(Map.of()))
        .hasMessage("proton.secrets: param 'rows' is missing");
    assertThatThrownBy(() -> RewriteSecrets.Request.from(Map.of("rows", List.of(), "secrets", List.of("Bad_Name")))) 
        .hasMessage("proton.secrets: param 'rows' places no component (no row has a conf_key)");
  }
}
