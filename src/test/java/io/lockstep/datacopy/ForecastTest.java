package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The final copy's forecast: the measuring, the copy (comparing the trees again, then the changed
 * bytes at the pre-copy's rate) and the checksum verification (every byte, at the pre-copy's rate
 * or as long as an earlier verification took), the slowest node pair counting in each step.
 */
class ForecastTest {

  static final List<Map<String, Object>> ROWS = List.of(
      ARow.moving("kafka", 0, "node-1", "node-4"), ARow.moving("zookeeper", 0, "node-1", "node-4"),
      ARow.moving("kafka", 1, "node-2", "node-5"), ARow.moving("mongodb", 1, "node-2", "node-5"));

  /** This run's figures so far, and the measure's outcome per row: changed bytes, time, size. */
  static RecordingStepContext measured(boolean parallel) {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("mode", "measure", "rows", ROWS,
        "forecast_for", "final-copy", "parallel", parallel));
    RecordingStepContext context = new RecordingStepContext("final-copy.measure", params,
        Duration.ofMinutes(30), new InMemoryUndoRecords());
    Map.of("copy.pre.kafka-0.bytes", 10_000_000L, "copy.pre.kafka-0.millis", 10_000L,
        "copy.pre.kafka-0.bwlimit", 0L,
        "copy.pre.zookeeper-0.bytes", 1_000_000L, "copy.pre.zookeeper-0.millis", 2_000L,
        "copy.verify.zookeeper-0.millis", 700L,
        "copy.pre.kafka-1.bytes", 20_000_000L, "copy.pre.kafka-1.millis", 10_000L,
        "copy.pre.kafka-1.bwlimit", 51_200L).forEach(context::figure);
    return context;
  }

  static void forecast(RecordingStepContext context) {
    CopyParams params = CopyParams.from(context.params());
    List<CopyRow> rows = params.moving();
    List<RowCopy.Outcome> outcomes = List.of(
        outcome(rows.get(0), 1_000_000, 300, 11_000_000),
        outcome(rows.get(1), 100_000, 100, 1_100_000),
        outcome(rows.get(2), 2_000_000, 500, 20_000_000),
        outcome(rows.get(3), 5_000, 50, 9_999));
    new Forecast(context, params).record(CopyRsync.pairs(rows), outcomes);
  }

  static RowCopy.Outcome outcome(CopyRow row, long changed, long millis, long size) {
    return new RowCopy.Outcome(row, null, changed, Duration.ofMillis(millis), size, null);
  }

  @Test
  void addsTheMeasuringTheCopyAndTheVerificationOfTheSlowestPair() {
    RecordingStepContext context = measured(true);
    forecast(context);

    // node-1 → node-4: kafka-0 measure 300, copy 300 + 1,000 (changed bytes at the pre-copy's
    // rate), verify 11,000 (all its bytes at that rate); zookeeper-0 100, 100 + 200, verify 700
    // as measured before. node-2 → node-5: measure 500 + 50, copy 1,500 + 50, verify 10,000.
    assertThat(context.figures()).containsEntry("forecast.final-copy.measure.millis", 550L)
        .containsEntry("forecast.final-copy.copy.millis", 1_600L)
        .containsEntry("forecast.final-copy.verify.millis", 11_700L)
        .containsEntry("forecast.final-copy.millis", 550L + 1_600 + 11_700);
    assertThat(context.infos()).singleElement().asString()
        .startsWith("forecast of phase final-copy: about 13.9 s = measuring 0.6 s (as long as "
            + "this measure took) + copying 1.6 s (comparing the trees as this measure did, then "
            + "moving the 1.0 MiB changed at the pre-copy's rate) + verifying by checksum 11.7 s "
            + "(reading all 11.5 MiB on both nodes, at the pre-copy's rate); node pairs run at "
            + "once: the slowest in each step counts (copying and verifying: node-1 → node-4)")
        .contains("no pre-copy figures for mongodb-1: only their measuring and comparing are "
            + "counted")
        .contains("verifying zookeeper-0 as long as this run's last verification of it took")
        .contains("the pre-copy of kafka-1 was held to a bandwidth limit and the final copy is "
            + "not: copying and verifying are upper bounds");
  }

  @Test
  void addsEveryPairWhenThePairsRunOneAfterTheOther() {
    RecordingStepContext context = measured(false);
    forecast(context);

    assertThat(context.figures()).containsEntry("forecast.final-copy.measure.millis", 950L)
        .containsEntry("forecast.final-copy.copy.millis", 3_150L)
        .containsEntry("forecast.final-copy.verify.millis", 21_700L)
        .containsEntry("forecast.final-copy.millis", 25_800L);
    assertThat(Bytes.longTime(Duration.ofSeconds(7_625))).isEqualTo("2h 07m 05s");
    assertThat(Bytes.longTime(Duration.ofSeconds(185))).isEqualTo("3m 05s");
  }
}
