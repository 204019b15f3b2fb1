package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.OutputListener;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A final copy whose verification finds the target different is repaired by retrying the step, as
 * a maintenance night would meet it: target files corrupted in place with their size and time
 * kept (which rsync's quick check cannot see), in one row or in two, before any verification or
 * after one passed, deleted, with names rsync must escape, or too many to list. Real rsync on the
 * lab's nodes over real SSH. Every attempt is a new {@link RecordingStepContext} sharing only the
 * run's undo records, and a new executor: what a retry knows is what the run stored, as after a
 * console restart.
 */
class CopyRepairTest {

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

  @Test
  void aTargetFileCorruptedInPlaceIsNamedByTheVerificationAndRepairedByTheRetry() throws Exception {
    Map<String, Object> prometheus = ARow.moving("prometheus", 0, "node-1", "node-4");
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", prometheus);
    attempt(run, "final", prometheus);
    Path spoiled = target(prometheus).resolve("segment-00002.log");
    corrupt(spoiled);

    RecordingStepContext failing = context(run, "final", prometheus);
    assertThatThrownBy(() -> lab.executor().execute(failing))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("1 of 1 row failed: prometheus-0 (prometheus #0 node-1 → node-4): the target "
            + "differs from the source after the final copy (checksum dry run: 1 difference): "
            + "segment-00002.log (kept as copy/prometheus-0/differs/1). Retrying this step "
            + "repairs this: it copies again (mirroring the source), re-sends exactly the 1 file "
            + "this verification found different, comparing by checksum instead of size and "
            + "time, then verifies again");
    assertThat(failing.figures()).as("the copy by size and time passed it over")
        .containsEntry("copy.final.prometheus-0.bytes", 0L);
    assertThat(run.recorded()).containsEntry("copy/prometheus-0/differs/1",
        "re-send by checksum: 1 file\nsegment-00002.log");

    RecordingStepContext retry = context(run, "final", prometheus);
    String summary = lab.executor().execute(retry);

    assertThat(summary).startsWith("final copy of 1 row: ").endsWith(", verified by checksum");
    assertThat(CopyLab.sha256(spoiled))
        .isEqualTo(CopyLab.sha256(source(prometheus).resolve("segment-00002.log")));
    assertThat(CopyLab.digests(target(prometheus))).isEqualTo(CopyLab.digests(source(prometheus)));
    assertThat(Files.getLastModifiedTime(spoiled))
        .isEqualTo(Files.getLastModifiedTime(source(prometheus).resolve("segment-00002.log")));
    assertThat(resends(retry)).containsExactly("node-1: rsync -a --numeric-ids --checksum "
        + "--itemize-changes --info=progress2 --no-inc-recursive --stats "
        + "--include=/segment-00002.log '--exclude=*' /sysvol/prometheus/data/ "
        + "root@127.0.10.4:/sysvol/prometheus/data/");
    assertThat(retry.lines("out")).as("what the repair re-sent, itemized")
        .containsExactly("out node-1: <fc........ segment-00002.log");
    assertThat(retry.figures()).containsEntry("copy.repair.prometheus-0.bytes", Files.size(spoiled));
    assertThat(run.isSettled("copy/prometheus-0/differs/1")).isTrue();
    assertThat(retry.infos()).contains("prometheus-0: verified, node-4:/sysvol/prometheus/data "
        + "equals node-1:/sysvol/prometheus/data file by file (checksums); repaired what the last "
        + "verification found (copy/prometheus-0/differs/1 settled)");

    String again = lab.executor().execute(context(run, "final", prometheus));
    assertThat(again).as("repaired for good: the next attempt has nothing to re-send")
        .endsWith(", verified by checksum");
  }

  @Test
  void filesCorruptedInTwoRowsAreRepairedTogetherNamesRsyncEscapesIncluded() throws Exception {
    Map<String, Object> etcd0 = ARow.moving("proton-etcd", 0, "node-1", "node-4");
    Map<String, Object> etcd1 = ARow.moving("proton-etcd", 1, "node-2", "node-5");
    List<String> awkward = List.of("we ird [1]*.log", "new\nline", "café.log");
    for (String name : awkward) {
      write(source(etcd0).resolve(name), 4096, name.hashCode());
    }
    write(source(etcd0).resolve("new line"), 4096, 7); // the pattern of new\nline matches it too
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", etcd0, etcd1);
    attempt(run, "final", etcd0, etcd1);
    List<String> spoiled0 = List.of("index/00000001.index", "we ird [1]*.log", "new\nline",
        "café.log");
    List<String> spoiled1 = List.of("segment-00001.log", "snapshot/snapshot-00001.bin");
    spoiled0.forEach(f -> corrupt(target(etcd0).resolve(f)));
    spoiled1.forEach(f -> corrupt(target(etcd1).resolve(f)));

    RecordingStepContext failing = context(run, "final", etcd0, etcd1);
    assertThatThrownBy(() -> lab.executor().execute(failing))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("2 of 2 rows failed: proton-etcd-0 (proton-etcd #0 node-1 → "
            + "node-4): the target differs from the source after the final copy (checksum dry "
            + "run: 4 differences): ")
        .hasMessageContaining("index/00000001.index", "we ird [1]*.log", "new\\#012line",
            "caf\\#303\\#251.log")
        .hasMessageContaining("proton-etcd-1 (proton-etcd #1 node-2 → node-5): the target differs "
            + "from the source after the final copy (checksum dry run: 2 differences): "
            + "segment-00001.log, snapshot/snapshot-00001.bin (kept as copy/proton-etcd-1/differs/1)")
        .hasMessageEndingWith("re-sends exactly the 6 files this verification found different, "
            + "comparing by checksum instead of size and time, then verifies again");

    RecordingStepContext retry = context(run, "final", etcd0, etcd1);
    lab.executor().execute(retry);

    for (Map<String, Object> row : List.of(etcd0, etcd1)) {
      assertThat(CopyLab.digests(target(row))).isEqualTo(CopyLab.digests(source(row)));
    }
    for (String file : spoiled0) {
      assertThat(CopyLab.sha256(target(etcd0).resolve(file)))
          .isEqualTo(CopyLab.sha256(source(etcd0).resolve(file)));
    }
    assertThat(resends(retry)).hasSize(2).anyMatch(a -> a.startsWith("node-1: ")
        && a.contains(" '--include=/caf??.log' --include=/index/ --include=/index/00000001.index "
            + "'--include=/new?line' '--include=/we ird \\[1]\\*.log' '--exclude=*' "))
        .anyMatch(a -> a.startsWith("node-2: ") && a.contains(" --include=/snapshot/ "));
    assertThat(retry.lines("out")).as("the decoy 'new line' was compared, equal, and not sent")
        .hasSize(6).noneMatch(l -> l.endsWith(" new line"));
    assertThat(retry.figures()).containsEntry("copy.repair.proton-etcd-1.bytes",
        bytes(target(etcd1), spoiled1)).containsEntry("copy.repair.proton-etcd-0.bytes",
        bytes(target(etcd0), spoiled0));
  }

  @Test
  void aTargetSpoiledWithNoFailedVerificationBeforeIsCaughtByTheNextAndRepairedByTheRetry()
      throws Exception {
    Map<String, Object> policy0 = ARow.moving("proton-policy-engine", 0, "node-1", "node-4");
    Map<String, Object> policy1 = ARow.moving("proton-policy-engine", 1, "node-2", "node-5");
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", policy0, policy1);
    corrupt(target(policy0).resolve("segment-00001.log")); // before the final copy ever ran

    RecordingStepContext first = context(run, "final", policy0, policy1);
    assertThatThrownBy(() -> lab.executor().execute(first))
        .hasMessageStartingWith("1 of 2 rows failed: proton-policy-engine-0 (proton-policy-engine "
            + "#0 node-1 → node-4): the target differs from the source after the final copy "
            + "(checksum dry run: 1 difference): segment-00001.log");
    // policy1 verified equal; then its target is spoiled too (say the node's disk), and the step
    // runs again (a retry, or the console resuming it after a restart) with no record of it
    corrupt(target(policy1).resolve("segment-00003.log"));

    RecordingStepContext second = context(run, "final", policy0, policy1);
    assertThatThrownBy(() -> lab.executor().execute(second))
        .hasMessageStartingWith("1 of 2 rows failed: proton-policy-engine-1 (proton-policy-engine "
            + "#1 node-2 → node-5): the target differs from the source after the final copy "
            + "(checksum dry run: 1 difference): segment-00003.log (kept as "
            + "copy/proton-policy-engine-1/differs/1). Retrying this step repairs this");
    assertThat(resends(second)).singleElement().asString().startsWith("node-1: ")
        .contains("--include=/segment-00001.log");
    assertThat(CopyLab.digests(target(policy0))).isEqualTo(CopyLab.digests(source(policy0)));

    RecordingStepContext third = context(run, "final", policy0, policy1);
    lab.executor().execute(third);

    assertThat(resends(third)).singleElement().asString().startsWith("node-2: ")
        .contains("--include=/segment-00003.log");
    assertThat(CopyLab.digests(target(policy1))).isEqualTo(CopyLab.digests(source(policy1)));
    assertThat(run.all("copy/")).as("nothing left to repair").allSatisfy((key, value) ->
        assertThat(key).endsWith("/started"));
  }

  @Test
  void deletedTargetFilesAreCopiedAgainAlsoTheOneFoundCorrupted() throws Exception {
    Map<String, Object> grafana = ARow.moving("grafana", 0, "node-2", "node-5");
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", grafana);
    attempt(run, "final", grafana);
    corrupt(target(grafana).resolve("segment-00003.log"));
    assertThatThrownBy(() -> lab.executor().execute(context(run, "final", grafana)))
        .hasMessageContaining("segment-00003.log (kept as copy/grafana-0/differs/1)");
    Files.delete(target(grafana).resolve("segment-00003.log"));
    Files.delete(target(grafana).resolve("index/00000002.index"));

    RecordingStepContext retry = context(run, "final", grafana);
    lab.executor().execute(retry);

    assertThat(CopyLab.digests(target(grafana))).isEqualTo(CopyLab.digests(source(grafana)));
    assertThat(retry.figures()).as("the copy sent both missing files")
        .containsEntry("copy.final.grafana-0.bytes", bytes(source(grafana),
            List.of("segment-00003.log", "index/00000002.index")))
        .as("so the repair compared the recorded one and found nothing left to send")
        .containsEntry("copy.repair.grafana-0.bytes", 0L);
    assertThat(run.isSettled("copy/grafana-0/differs/1")).isTrue();
  }

  @Test
  void aRetryComparesByChecksumOnlyTheFilesFoundDifferentNotTheLargeUnchangedRows()
      throws Exception {
    Map<String, Object> large = ARow.moving("kafka", 2, "node-3", "node-6");
    Map<String, Object> small = ARow.moving("mongodb", 0, "node-1", "node-4");
    for (int i = 0; i < 8; i++) {
      write(source(large).resolve("bulk/part-" + i + ".bin"), 16 << 20, i);
    }
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", large, small);
    attempt(run, "final", large, small);
    corrupt(target(small).resolve("segment-00001.log"));
    assertThatThrownBy(() -> lab.executor().execute(context(run, "final", large, small)))
        .hasMessageStartingWith("1 of 2 rows failed: mongodb-0 ");

    RecordingStepContext retry = context(run, "final", large, small);
    lab.executor().execute(retry);

    assertThat(resends(retry)).singleElement().asString().startsWith("node-1: ");
    assertThat(retry.actions()).filteredOn(a -> a.startsWith("node-3: rsync"))
        .as("the large row: the copy by size and time, then the verification, nothing else")
        .hasSize(2).noneMatch(a -> a.contains("--checksum") && !a.contains("--dry-run"));
    assertThat(retry.figures()).containsEntry("copy.final.kafka-2.bytes", 0L)
        .doesNotContainKey("copy.repair.kafka-2.bytes")
        .containsEntry("copy.repair.mongodb-0.bytes",
            Files.size(target(small).resolve("segment-00001.log")));

    // the figures the report quotes: what the retry spent on the large row against what
    // comparing all of it by checksum (the alternative to naming the files) costs
    CopyRow row = CopyRow.from(large, 0);
    long started = System.nanoTime();
    ExecResult whole = lab.shell().exec(lab.shell().target("node-3",
        lab.addresses().hostOf("node-3")), RsyncCommands.copy(row, Mode.FINAL, 0,
        lab.addresses().hostOf("node-6"), true), Duration.ofMinutes(2), OutputListener.IGNORE);
    long wholeMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertThat(whole.exitStatus()).isZero();
    System.out.printf(Locale.ROOT, "retry of a %s row found equal: copy by size and time %d ms, "
        + "verification %d ms; the whole row copied by checksum instead: %d ms; the repaired row's "
        + "re-send of 1 file by checksum: %d ms%n", Bytes.shown(CopyRsyncTest.fileBytes(source(large))),
        retry.figures().get("copy.final.kafka-2.millis"),
        retry.figures().get("copy.verify.kafka-2.millis"), wholeMillis,
        retry.figures().get("copy.repair.mongodb-0.millis"));
  }

  @Test
  void moreDifferencesThanAVerificationListsAreRepairedByComparingTheWholeRowByChecksum()
      throws Exception {
    Map<String, Object> opensearch = ARow.moving("opensearch-master", 2, "node-3", "node-6");
    for (int i = 0; i < 1100; i++) {
      write(source(opensearch).resolve(String.format(Locale.ROOT, "many/f%04d", i)), 32, i);
    }
    InMemoryUndoRecords run = new InMemoryUndoRecords();
    attempt(run, "pre", opensearch);
    attempt(run, "final", opensearch);
    for (int i = 0; i < 1050; i++) {
      corrupt(target(opensearch).resolve(String.format(Locale.ROOT, "many/f%04d", i)));
    }

    assertThatThrownBy(() -> lab.executor().execute(context(run, "final", opensearch)))
        .hasMessageContaining("(checksum dry run: at least 1000 differences): many/f0000, "
            + "many/f0001, many/f0002, many/f0003, many/f0004 and more (kept as "
            + "copy/opensearch-master-2/differs/1). Retrying this step repairs this: it copies "
            + "again (mirroring the source), compares every file of opensearch-master-2 by "
            + "checksum (too many differences to list), then verifies again");

    RecordingStepContext retry = context(run, "final", opensearch);
    lab.executor().execute(retry);

    assertThat(retry.actions()).contains("node-3: rsync -a --numeric-ids --delete --checksum "
        + "--info=progress2 --no-inc-recursive --stats /sysvol/opensearch/data/ "
        + "root@127.0.10.6:/sysvol/opensearch/data/");
    assertThat(resends(retry)).hasSize(1);
    assertThat(CopyLab.digests(target(opensearch))).isEqualTo(CopyLab.digests(source(opensearch)));
    assertThat(run.isSettled("copy/opensearch-master-2/differs/1")).isTrue();
  }

  // ---- helpers

  @SafeVarargs
  static RecordingStepContext context(InMemoryUndoRecords run, String mode,
      Map<String, Object>... rows) {
    return new RecordingStepContext("final-copy.copy", Map.of("mode", mode, "rows", List.of(rows)),
        Duration.ofMinutes(2), run);
  }

  /** One attempt of the step that must succeed. */
  @SafeVarargs
  static void attempt(InMemoryUndoRecords run, String mode, Map<String, Object>... rows)
      throws Exception {
    lab.executor().execute(context(run, mode, rows));
  }

  /** The copies that compare by checksum (not the verification's dry run). */
  static List<String> resends(RecordingStepContext context) {
    return context.actions().stream().filter(a -> a.contains(" --checksum ")
        && !a.contains("--dry-run")).toList();
  }

  static Path source(Map<String, Object> row) {
    return lab.dir((String) row.get("source_node"), (String) row.get("source_path"));
  }

  static Path target(Map<String, Object> row) {
    return lab.dir((String) row.get("target_node"), (String) row.get("target_path"));
  }

  /**
   * Flips a byte in the middle of the file and puts its modification time back: the same size and
   * time, so rsync's quick check takes it for unchanged, as bit rot or a stray write would leave it.
   */
  static void corrupt(Path file) {
    try {
      FileTime written = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      try (RandomAccessFile data = new RandomAccessFile(file.toFile(), "rw")) {
        data.seek(size / 2);
        int b = data.read();
        data.seek(size / 2);
        data.write(b ^ 0xff);
      }
      Files.setLastModifiedTime(file, written);
      assertThat(Files.size(file)).isEqualTo(size);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void write(Path file, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  static long bytes(Path root, List<String> files) throws IOException {
    long sum = 0;
    for (String file : files) {
      sum += Files.size(root.resolve(file));
    }
    return sum;
  }
}
