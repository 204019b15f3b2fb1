package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The params as procedures give them: each mistake refused with the param and row named. */
class CopyParamsTest {

  static Map<String, Object> params(Object... keyValues) {
    Map<String, Object> params = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put((String) keyValues[i], keyValues[i + 1]);
    }
    return params;
  }

  static Map<String, Object> with(Map<String, Object> row, String field, Object value) {
    Map<String, Object> changed = new HashMap<>(row);
    if (value == null) {
      changed.remove(field);
    } else {
      changed.put(field, value);
    }
    return changed;
  }

  final Map<String, Object> kafka0 = ARow.moving("kafka", 0, "node-1", "node-4");
  final Map<String, Object> kafka2 = ARow.staying("kafka", 2, "node-3");

  @Test
  void readsTheRowsAndTheDefaultsOfEachMode() {
    CopyParams pre = CopyParams.from(params("mode", "pre", "rows", List.of(kafka0, kafka2)));
    assertThat(pre.moving()).extracting(CopyRow::key).containsExactly("kafka-0");
    assertThat(pre.staying()).extracting(CopyRow::key).containsExactly("kafka-2");
    assertThat(pre).extracting(CopyParams::mode, CopyParams::bwlimit, CopyParams::verify,
        CopyParams::parallel).containsExactly(Mode.PRE, 0, false, true);
    CopyParams fin = CopyParams.from(params("mode", "final", "rows", List.of(kafka0),
        "parallel", "false", "bwlimit", 5000L));
    assertThat(fin).extracting(CopyParams::verify, CopyParams::parallel, CopyParams::bwlimit)
        .containsExactly(true, false, 5000);
    assertThat(CopyParams.from(params("mode", "final", "rows", List.of(kafka0), "verify", false))
        .verify()).isFalse();
    CopyRow row = pre.rows().get(0);
    assertThat(row).isEqualTo(new CopyRow("kafka-0", "kafka", "helm", 0, "node-1",
        "/sysvol/kafka/kafka_data", "node-4", "/sysvol/kafka/kafka_data", 1_048_576));
    assertThat(row.label()).isEqualTo("kafka #0 node-1 → node-4");
  }

  @Test
  void numbersMayArriveAsIntegerLongOrText() {
    CopyRow row = CopyParams.from(params("mode", "pre", "rows",
        List.of(with(with(kafka0, "ordinal", 0L), "bytes", "42")))).rows().get(0);
    assertThat(row.ordinal()).isZero();
    assertThat(row.bytes()).isEqualTo(42);
  }

  @Test
  void refusesParamsItCannotUse() {
    assertRefused(params("rows", List.of(kafka0)), "param 'mode' is missing: pre, final or measure");
    assertRefused(params("mode", "full", "rows", List.of(kafka0)),
        "param 'mode' must be pre, final or measure, not 'full'");
    assertRefused(params("mode", "pre"), "param 'rows' is missing: give the plan's rows "
        + "(rows: ${plan.rows})");
    assertRefused(params("mode", "pre", "rows", "kafka-0"),
        "param 'rows' must be a list of rows, not text");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0), "bwlimit", "fast"),
        "param 'bwlimit' must be a whole number of KB/s, not 'fast'");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0), "verify", true),
        "param 'verify' applies to mode final only");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0), "parallel", "yes"),
        "param 'parallel' must be true or false, not 'yes'");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0), "delete", true),
        "unknown param 'delete'; copy.rsync takes rows, mode, bwlimit, verify, parallel and forecast_for");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0), "forecast_for", "final-copy"),
        "param 'forecast_for' names the phase a measure forecasts (a phase id such as final-copy) and applies to"
            + " mode measure only");
  }

  @Test
  void refusesRowsThatBreakTheContract() {
    assertRow(with(kafka0, "target_node", "node 4"), "param 'rows': row 0 (kafka-0): node name "
        + "'node 4'");
    assertRow(with(kafka0, "source_path", "/sysvol/kafka/../etc"), "param 'rows': row 0 "
        + "(kafka-0): remote path '/sysvol/kafka/../etc' is not normalized");
    assertRow(with(kafka0, "target_path", "/data/$(reboot)"), "param 'rows': row 0 (kafka-0): "
        + "remote path '/data/$(reboot)' contains");
    assertRow(with(kafka0, "ordinal", null), "param 'rows': row 0 (kafka-0): ordinal is missing");
    assertRow(with(kafka0, "kind", "daemon"), "param 'rows': row 0 (kafka-0): kind 'daemon' is "
        + "not helm, operator or host");
    assertRow(with(kafka0, "key", "kafka 0"), "param 'rows': row 0 (kafka 0): key 'kafka 0' is "
        + "not a row key");
    assertRow(with(ARow.hostMove("proton-cr-registry", 0, "node-1", "/data/registry"),
        "target_node", "node-4"), "param 'rows': row 0 (proton-cr-registry-0): a host service's "
        + "data never changes node");
  }

  @Test
  void refusesRowsThatWouldCollide() {
    Map<String, Object> kafka1 = ARow.moving("kafka", 1, "node-2", "node-4");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0, kafka1)),
        "param 'rows': rows kafka-0 and kafka-1 both copy into node-4:/sysvol/kafka/kafka_data");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0, with(kafka2, "key", "kafka-0"))),
        "param 'rows' holds key kafka-0 twice");
    assertRefused(params("mode", "pre", "rows", List.of(kafka0,
        ARow.staying("kafka", 1, "node-4"))), "param 'rows': row kafka-0 would copy into "
        + "node-4:/sysvol/kafka/kafka_data, which is the data directory of row kafka-1 "
        + "(node-4:/sysvol/kafka/kafka_data)");
    assertRefused(params("mode", "pre", "rows", List.of(ARow.hostMove("proton-cr-registry", 0,
        "node-1", "/sysvol/proton-cr/registry/moved"))), "param 'rows': row proton-cr-registry-0 "
        + "would copy into node-1:/sysvol/proton-cr/registry/moved, which overlaps the data "
        + "directory of row proton-cr-registry-0 (node-1:/sysvol/proton-cr/registry)");
  }

  private static void assertRow(Map<String, Object> row, String message) {
    assertThatThrownBy(() -> CopyParams.from(params("mode", "pre", "rows", List.of(row))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }

  private static void assertRefused(Map<String, Object> params, String message) {
    assertThatThrownBy(() -> CopyParams.from(params))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
