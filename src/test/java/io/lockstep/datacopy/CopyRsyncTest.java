package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepProgress;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy.rsync} on the lab: real SSH into each node, the real rsync pushing from one node's
 * sandbox to another's. Each test moves components of its own, so the tests do not depend on each
 * other's order.
 */
class CopyRsyncTest {

  @TempDir
  static Path state;

  static CopyLab lab;

  @BeforeAll
  static void startTheLab() {
    lab = CopyLab.start(state, "16MB", "8GB");
  }

  @AfterAll
  static void stopTheLab() {
    lab.close();
  }

  static RecordingStepContext context(Map<String, Object> params, InMemoryUndoRecords undo) {
    return new RecordingStepContext("copy-data.copy", params, Duration.ofMinutes(2), undo);
  }

  static Map<String, Object> params(String mode, List<Map<String, Object>> rows) {
    return Map.of("mode", mode, "rows", rows);
  }

  Path source(Map<String, Object> row) {
    return lab.dir((String) row.get("source_node"), (String) row.get("source_path"));
  }

  Path target(Map<String, Object> row) {
    return lab.dir((String) row.get("target_node"), (String) row.get("target_path"));
  }

  static long fileBytes(Path tree) throws IOException {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void copiesTheMovingRowsOfTwoNodePairsAtOnceByteForByte() throws Exception {
    Map<String, Object> kafka0 = ARow.moving("kafka", 0, "node-1", "node-4");
    Map<String, Object> zookeeper0 = ARow.moving("zookeeper", 0, "node-1", "node-4");
    Map<String, Object> kafka1 = ARow.moving("kafka", 1, "node-2", "node-5");
    Map<String, Object> zookeeper1 = ARow.moving("zookeeper", 1, "node-2", "node-5");
    Map<String, Object> registry0 = ARow.hostMove("proton-cr-registry", 0, "node-1",
        "/data/proton-cr/registry");
    List<Map<String, Object>> rows = List.of(kafka0, kafka1, ARow.staying("kafka", 2, "node-3"),
        zookeeper0, zookeeper1, registry0);
    RecordingStepContext context = context(Map.of("mode", "pre", "rows", rows, "bwlimit", 400),
        new InMemoryUndoRecords());

    String summary = lab.executor().execute(context);

    assertThat(summary).startsWith("pre copy of 5 rows: ").endsWith("; 1 row stays");
    for (Map<String, Object> row : List.of(kafka0, kafka1, zookeeper0, zookeeper1, registry0)) {
      assertThat(CopyLab.digests(target(row))).as("target of %s", row.get("key"))
          .isEqualTo(CopyLab.digests(source(row)));
      String key = (String) row.get("key");
      assertThat(context.figures()).containsEntry("copy.pre." + key + ".bytes",
          fileBytes(source(row))).containsKey("copy.pre." + key + ".millis");
      List<StepProgress> reports = context.progressReports().stream()
          .filter(p -> p.part().equals(key)).toList();
      assertThat(reports).as("progress of %s", key).isNotEmpty()
          .allMatch(p -> p.total() > 0);
      assertThat(reports.get(reports.size() - 1)).extracting(StepProgress::finished,
          StepProgress::done).containsExactly(true, fileBytes(source(row)));
      assertThat(reports.subList(0, reports.size() - 1)).noneMatch(StepProgress::finished);
    }
    assertThat(context.progressReports()).extracting(StepProgress::label)
        .contains("kafka #0 node-1 → node-4", "kafka #1 node-2 → node-5",
            "proton-cr-registry #0 node-1 /sysvol/proton-cr/registry → /data/proton-cr/registry");
    // the pairs ran at once: node-2's first copy reported before node-1's first copy had ended
    List<StepProgress> reports = context.progressReports();
    assertThat(IntStream.range(0, reports.size()).filter(i -> reports.get(i).part().equals("kafka-1"))
        .findFirst().orElseThrow())
        .isLessThan(IntStream.range(0, reports.size())
            .filter(i -> reports.get(i).part().equals("kafka-0") && reports.get(i).finished())
            .findFirst().orElseThrow());
    assertThat(context.actions()).contains(
        "node-4: mkdir -p /sysvol/kafka/kafka_data",
        "node-1: rsync -a --numeric-ids --bwlimit=400 --info=progress2 --no-inc-recursive --stats "
            + "/sysvol/kafka/kafka_data/ root@127.0.10.4:/sysvol/kafka/kafka_data/",
        "node-1: rsync -a --numeric-ids --bwlimit=400 --info=progress2 --no-inc-recursive --stats "
            + "/sysvol/proton-cr/registry/ /data/proton-cr/registry/");
    assertThat(context.lines("exit")).contains("exit node-1: 0", "exit node-2: 0");
    assertThat(context.infos()).contains("not copied, they stay where they are: kafka-2")
        .anyMatch(line -> line.startsWith("kafka-0: copied ") && line.endsWith("/s)"));
    assertThat(context.lines("out")).as("no progress lines in the log").isEmpty();
    assertThat(lab.dir("node-6", "/sysvol/kafka")).doesNotExist();
    assertThat(context.records().recorded()).containsEntry("copy/kafka-0/started",
        "node-4:/sysvol/kafka/kafka_data");
  }

  @Test
  void refusesTheWholeStepWhenATargetIsNotEmptyAndCopiesNothing() throws Exception {
    Map<String, Object> first = ARow.moving("opensearch-master", 0, "node-1", "node-4");
    Map<String, Object> second = ARow.moving("opensearch-master", 1, "node-2", "node-5");
    Files.createDirectories(target(second));
    Files.writeString(target(second).resolve("stray.txt"), "left from another attempt\n");
    RecordingStepContext context = context(params("pre", List.of(first, second)),
        new InMemoryUndoRecords());

    assertThatThrownBy(() -> lab.executor().execute(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("refused: nothing was copied")
        .hasMessageContaining("opensearch-master-1: node-5:/sysvol/opensearch/data holds 'stray.txt'")
        .hasMessageNotContaining("opensearch-master-0:");
    assertThat(target(first)).doesNotExist();
    assertThat(target(second)).isDirectoryContaining(p -> p.endsWith("stray.txt"));
    assertThat(context.actions()).noneMatch(a -> a.contains("rsync -a") || a.contains("mkdir"));
    assertThat(context.records().recorded()).isEmpty();
  }

  @Test
  void refusesWhenATargetFilesystemHasTooLittleSpaceAndCopiesNothing() throws Exception {
    Map<String, Object> redis0 = ARow.moving("proton-redis", 0, "node-1", "node-4");
    Path big = source(redis0).resolve("dump-huge.rdb");
    try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
      sparse.setLength(20L << 30); // 20 GiB that the lab's 8 GB disk cannot take
    }
    try {
      RecordingStepContext context = context(params("pre", List.of(redis0)),
          new InMemoryUndoRecords());

      assertThatThrownBy(() -> lab.executor().execute(context))
          .isInstanceOf(StepFailedException.class)
          .hasMessageStartingWith("refused: nothing was copied, because free space is short on 1 "
              + "target filesystem: node-4 / (/dev/vda1): ")
          .hasMessageMatching(".*: \\d\\.\\d GiB free, 20\\.0 GiB to copy \\(× 1\\.10 = 22\\.0 GiB "
              + "needed\\) for proton-redis-0");
      assertThat(target(redis0)).doesNotExist();
      assertThat(context.actions()).noneMatch(a -> a.contains("rsync -a") || a.contains("mkdir"));
    } finally {
      Files.delete(big);
    }
  }

  @Test
  void refusesARowOnANodeTheClusterDoesNotHave() {
    Map<String, Object> lost = ARow.moving("nebula", 0, "node-1", "node-9");
    Map<String, Object> fine = ARow.moving("nebula", 1, "node-2", "node-5");
    RecordingStepContext context = context(params("pre", List.of(fine, lost)),
        new InMemoryUndoRecords());

    assertThatThrownBy(() -> lab.executor().execute(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("refused: nothing was copied, because node 'node-9' is not a node of the "
            + "cluster (rows nebula-0)");
    assertThat(target(fine)).doesNotExist();
    assertThat(context.actions()).isEmpty();
  }

  @Test
  void theFinalCopyMirrorsTheSourceAndItsVerificationCatchesATamperedTarget() throws Exception {
    Map<String, Object> mongo1 = ARow.moving("mongodb", 1, "node-2", "node-5");
    Map<String, Object> mongo2 = ARow.moving("mongodb", 2, "node-3", "node-6");
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    lab.executor().execute(context(params("pre", List.of(mongo1, mongo2)), run));
    Files.writeString(source(mongo1).resolve("segment-00001.log"), "appended while online\n",
        StandardOpenOption.APPEND);
    Files.delete(source(mongo1).resolve("index/00000002.index"));
    Files.writeString(source(mongo2).resolve("segment-00004.log"), "a new segment\n");

    RecordingStepContext finalCopy = context(params("final", List.of(mongo1, mongo2)), run);
    String summary = lab.executor().execute(finalCopy);

    assertThat(summary).startsWith("final copy of 2 rows: ").endsWith(", verified by checksum");
    assertThat(CopyLab.digests(target(mongo1))).isEqualTo(CopyLab.digests(source(mongo1)));
    assertThat(CopyLab.digests(target(mongo2))).isEqualTo(CopyLab.digests(source(mongo2)));
    assertThat(target(mongo1).resolve("index/00000002.index")).doesNotExist();
    assertThat(finalCopy.actions()).anyMatch(a -> a.startsWith("node-2: rsync -a --numeric-ids "
        + "--delete --info=progress2")).anyMatch(a -> a.equals("node-2: rsync -a --numeric-ids "
        + "--checksum --dry-run --itemize-changes --delete /sysvol/mongodb/data/ "
        + "root@127.0.10.5:/sysvol/mongodb/data/"));
    assertThat(finalCopy.actions()).as("the targets exist: no mkdir").noneMatch(a -> a.contains("mkdir"));
    assertThat(finalCopy.infos()).contains("mongodb-1: verified, node-5:/sysvol/mongodb/data "
        + "equals node-2:/sysvol/mongodb/data file by file (checksums)");
    assertThat(finalCopy.figures()).containsEntry("copy.final.mongodb-2.bytes", 14L)
        .containsKey("copy.final.mongodb-1.millis");

    Path tampered = target(mongo1).resolve("segment-00002.log");
    FileTime written = Files.getLastModifiedTime(tampered);
    try (RandomAccessFile file = new RandomAccessFile(tampered.toFile(), "rw")) {
      int first = file.read();
      file.seek(0);
      file.write(first ^ 0xff); // same size
    }
    Files.setLastModifiedTime(tampered, written); // same time: rsync's quick check sees nothing
    RecordingStepContext again = context(params("final", List.of(mongo1, mongo2)), run);

    assertThatThrownBy(() -> lab.executor().execute(again))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("1 of 2 rows failed: mongodb-1 (mongodb #1 node-2 → node-5): the "
            + "target differs from the source after the final copy (checksum dry run: 1 "
            + "difference): segment-00002.log (kept as copy/mongodb-1/differs/1). Retrying this "
            + "step repairs this"); // CopyRepairTest: how
    assertThat(again.infos()).contains("mongodb-2: verified, node-6:/sysvol/mongodb/data "
        + "equals node-3:/sysvol/mongodb/data file by file (checksums)");
  }

  @Test
  void anRsyncThatFailsHalfwayFailsItsRowAndARetryOfTheSameRunCompletesIt() throws Exception {
    Map<String, Object> maria0 = ARow.moving("mariadb", 0, "node-1", "node-4");
    Map<String, Object> maria1 = ARow.moving("mariadb", 1, "node-2", "node-5");
    Map<String, Object> params = Map.of("mode", "pre", "rows", List.of(maria0, maria1),
        "bwlimit", 300);
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    AtomicBoolean killed = new AtomicBoolean();
    RecordingStepContext first = new RecordingStepContext("copy-data.copy", params,
        Duration.ofMinutes(2), run) {
      @Override
      public void progress(StepProgress progress) {
        super.progress(progress);
        if (progress.part().equals("mariadb-0") && progress.done() >= 200_000
            && !killed.getAndSet(true)) {
          killRsyncReading(source(maria0));
        }
      }
    };

    assertThatThrownBy(() -> lab.executor().execute(first))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("1 of 2 rows failed: mariadb-0 (mariadb #0 node-1 → node-4): "
            + "rsync on node-1 exit 137 (killed); last error: ");
    assertThat(killed).isTrue();
    assertThat(CopyLab.digests(target(maria1))).as("the other pair copied all the same")
        .isEqualTo(CopyLab.digests(source(maria1)));
    assertThat(target(maria0).toFile().list()).as("the killed copy left data behind")
        .isNotEmpty();
    assertThat(CopyLab.digests(target(maria0))).isNotEqualTo(CopyLab.digests(source(maria0)));

    String retried = lab.executor().execute(context(params, run));

    assertThat(retried).startsWith("pre copy of 2 rows: ");
    assertThat(CopyLab.digests(target(maria0))).isEqualTo(CopyLab.digests(source(maria0)));
    RecordingStepContext otherRun = context(params, new InMemoryUndoRecords());
    assertThatThrownBy(() -> lab.executor().execute(otherRun))
        .hasMessageContaining("mariadb-0: node-4:/sysvol/mariadb/data holds ")
        .hasMessageContaining("mariadb-1: node-5:/sysvol/mariadb/data holds ");
  }

  @Test
  void measureReportsWhatTheFinalCopyWouldMoveAndChangesNothing() throws Exception {
    Map<String, Object> nsq0 = ARow.moving("proton-mq-nsq", 0, "node-1", "node-4");
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    RecordingStepContext planning = context(params("measure", List.of(nsq0)), run);
    lab.executor().execute(planning);
    assertThat(planning.figures()).as("before the pre-copy: everything")
        .containsEntry("copy.delta.proton-mq-nsq-0.bytes", fileBytes(source(nsq0)))
        .containsEntry("copy.source.proton-mq-nsq-0.bytes", fileBytes(source(nsq0)))
        .containsKey("copy.measure.proton-mq-nsq-0.millis").hasSize(3);
    assertThat(target(nsq0)).doesNotExist();
    RecordingStepContext pre = context(params("pre", List.of(nsq0)), run);
    lab.executor().execute(pre);
    RecordingStepContext idle = context(params("measure", List.of(nsq0)), run);
    lab.executor().execute(idle);
    assertThat(idle.figures()).containsEntry("copy.delta.proton-mq-nsq-0.bytes", 0L);

    Path changed = source(nsq0).resolve("segment-00001.log");
    Files.write(changed, new byte[1000], StandardOpenOption.APPEND);
    Files.write(source(nsq0).resolve("segment-00009.log"), new byte[5000]);
    Map<String, String> before = CopyLab.digests(target(nsq0));
    RecordingStepContext measure = context(params("measure", List.of(nsq0)), run);
    pre.figures().forEach(measure::figure); // the run's figures so far
    String summary = lab.executor().execute(measure);

    long delta = Files.size(changed) + 5000;
    assertThat(measure.figures()).containsEntry("copy.delta.proton-mq-nsq-0.bytes", delta);
    assertThat(summary).isEqualTo("the final copy would move " + Bytes.shown(delta)
        + " over 1 row now");
    assertThat(measure.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("最终复制现在将为 1 行 传输 " + Bytes.shown(delta));
    String all = Bytes.shown(fileBytes(source(nsq0)));
    assertThat(measure.infos()).anyMatch(line -> line.startsWith("proton-mq-nsq-0 (proton-mq-nsq "
        + "#0 node-1 → node-4): the final copy would move " + Bytes.shown(delta) + " in 2 files "
        + "of " + all + " now, about ")
        && line.contains(" s at the pre-copy's "));
    assertThat(CopyLab.digests(target(nsq0))).isEqualTo(before);

    Map<String, Object> forecasting = new java.util.LinkedHashMap<>(params("measure", List.of(nsq0)));
    forecasting.put("forecast_for", "final-copy");
    RecordingStepContext forecast = context(forecasting, run);
    pre.figures().forEach(forecast::figure);
    lab.executor().execute(forecast);
    double msPerByte = (double) pre.figures().get("copy.pre.proton-mq-nsq-0.millis")
        / pre.figures().get("copy.pre.proton-mq-nsq-0.bytes");
    long measuring = forecast.figures().get("copy.measure.proton-mq-nsq-0.millis");
    long copying = measuring + Math.round(delta * msPerByte);
    long verifying = Math.round(fileBytes(source(nsq0)) * msPerByte);
    assertThat(forecast.figures()).as("the final copy's forecast: measuring, copying what changed "
        + "at the pre-copy's rate, verifying every byte at that rate (ForecastTest: the rules)")
        .containsEntry("forecast.final-copy.measure.millis", measuring)
        .containsEntry("forecast.final-copy.copy.millis", copying)
        .containsEntry("forecast.final-copy.verify.millis", verifying)
        .containsEntry("forecast.final-copy.millis", measuring + copying + verifying);
    assertThat(forecast.infos()).anyMatch(line -> line.startsWith("forecast of phase final-copy: "
        + "about "));
    assertThat(measure.actions()).containsExactly("node-1: rsync -a --numeric-ids --delete "
        + "--dry-run --stats /sysvol/nsq/data/ root@127.0.10.4:/sysvol/nsq/data/");
  }

  @Test
  void aCopyThatOutrunsTheStepsTimeIsStoppedOnTheNode() throws Exception {
    Map<String, Object> redis1 = ARow.moving("proton-redis", 1, "node-2", "node-5");
    RecordingStepContext context = new RecordingStepContext("copy-data.copy", Map.of("mode", "pre",
        "rows", List.of(redis1), "bwlimit", 20), Duration.ofSeconds(3), new InMemoryUndoRecords());

    assertThatThrownBy(() -> lab.executor().execute(context))
        .isInstanceOf(StepFailedException.class)
        .hasMessageMatching("1 of 1 row failed: proton-redis-1 \\(proton-redis #1 node-2 → "
            + "node-5\\): rsync on node-2 did not finish within the step's time \\([1-3]s\\) and "
            + "was stopped on the node \\(exit 124\\); last error: .*");
    assertThat(context.lines("exit")).containsExactly("exit node-2: 124");
    assertThat(context.progressReports().get(context.progressReports().size() - 1).finished())
        .isTrue();
    assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine()
        .map(c -> c.contains(source(redis1).toString())).orElse(false)).toList())
        .as("no rsync left running").isEmpty();
  }

  /**
   * Kills the rsync client copying {@code source} (a process of the lab, so a child of this JVM):
   * as an operator's {@code kill -9} or an OOM kill would on a real node.
   */
  static void killRsyncReading(Path source) {
    String hostPath = source.toString();
    ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("rsync") && c.contains(hostPath)
            && !c.contains("--server")).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
