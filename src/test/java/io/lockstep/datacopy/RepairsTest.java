package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.InMemoryUndoRecords;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a failed verification keeps for the retry, and the commands that re-send it: the parts
 * that need no node ({@code CopyRepairTest} runs them against real rsync on the lab).
 */
class RepairsTest {

  static final CopyRow ROW = CopyRow.from(ARow.moving("kafka", 0, "node-1", "node-4"), 0);

  @Test
  void readsTheFilesAVerificationWouldSendAndNamesAFewThenCounts() {
    Differences found = Differences.of(List.of(
        "<fc........ segment-00002.log",
        "<f+++++++++ index/00000002.index",
        "*deleting   stray.txt",
        ".d..t...... snapshot/",
        ">fc........ we ird [1]*.log",
        "<fc........ caf\\#303\\#251",
        "", "<fc........ seventh"));

    assertThat(found.files()).containsExactly("segment-00002.log", "index/00000002.index",
        "we ird [1]*.log", "caf\\#303\\#251", "seventh");
    assertThat(found.counted()).isEqualTo("7 differences");
    assertThat(found.named()).isEqualTo("segment-00002.log, index/00000002.index (missing), "
        + "stray.txt (only on the target), snapshot/ (attributes), we ird [1]*.log and 2 more");
    assertThat(Differences.of(List.of()).none()).isTrue();
    Differences many = Differences.of(IntStream.range(0, Differences.MAX)
        .mapToObj(i -> "<fc........ f" + i).toList());
    assertThat(many.truncated()).isTrue();
    assertThat(many.counted()).isEqualTo("at least 1000 differences");
    assertThat(many.named()).endsWith("f4 and more");
  }

  @Test
  void keepsEachFailedVerificationAsANumberedRecordAndSettlesThemAllOnceEqual() {
    InMemoryUndoRecords undo = new InMemoryUndoRecords();
    Repairs repairs = new Repairs(undo);
    assertThat(repairs.pending(ROW).none()).isTrue();

    assertThat(repairs.record(ROW, Differences.of(List.of("<fc........ b.log",
        "*deleting   stray")))).isEqualTo("copy/kafka-0/differs/1");
    assertThat(repairs.record(ROW, Differences.of(List.of("<fc........ a.log",
        "<fc........ b.log")))).isEqualTo("copy/kafka-0/differs/2");
    assertThat(repairs.record(ROW, Differences.of(List.of("*deleting   stray"))))
        .as("nothing a copy by size and time could pass over").isNull();

    assertThat(undo.recorded()).containsEntry("copy/kafka-0/differs/1",
        "re-send by checksum: 1 file\nb.log");
    Repairs.Pending pending = repairs.pending(ROW);
    assertThat(pending.files()).containsExactly("a.log", "b.log");
    assertThat(pending.wholeRow()).isFalse();
    assertThat(repairs.pending(CopyRow.from(ARow.moving("kafka", 1, "node-2", "node-5"), 1))
        .none()).isTrue();

    repairs.settle(pending);
    assertThat(repairs.pending(ROW).none()).isTrue();
    assertThat(undo.isSettled("copy/kafka-0/differs/1")).isTrue();
    assertThat(repairs.record(ROW, Differences.of(IntStream.range(0, Differences.MAX)
        .mapToObj(i -> "<fc........ f" + i).toList()))).isEqualTo("copy/kafka-0/differs/3");
    assertThat(undo.recorded().get("copy/kafka-0/differs/3"))
        .isEqualTo("re-send by checksum: every file of the row (at least 1000 differences)");
    assertThat(repairs.pending(ROW).wholeRow()).isTrue();
  }

  @Test
  void filterPatternsMatchExactlyThePrintedPath() {
    assertThat(RsyncCommands.pattern("index/00000001.index")).isEqualTo("/index/00000001.index");
    assertThat(RsyncCommands.pattern("we ird [1]*.log")).isEqualTo("/we ird \\[1]\\*.log");
    assertThat(RsyncCommands.pattern("back\\slash")).as("no wildcard: compared literally")
        .isEqualTo("/back\\slash");
    assertThat(RsyncCommands.pattern("a\\b*")).isEqualTo("/a\\\\b\\*");
    assertThat(RsyncCommands.pattern("new\\#012line")).isEqualTo("/new?line");
    assertThat(RsyncCommands.pattern("caf\\#303\\#251 [x]")).isEqualTo("/caf?? \\[x]");
  }

  @Test
  void resendsNamedFilesOnlyWithTheirDirectoriesInCommandsOfAHundredFiles() {
    List<RemoteCommand> one = RsyncCommands.resend(ROW, List.of("index/sub/a.index",
        "index/b.index", "top.log"), "10.0.0.4");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).argv()).containsExactly("rsync", "-a", "--numeric-ids", "--checksum",
        "--itemize-changes", "--info=progress2", "--no-inc-recursive", "--stats",
        "--include=/index/", "--include=/index/sub/", "--include=/index/sub/a.index",
        "--include=/index/b.index", "--include=/top.log", "--exclude=*",
        "/sysvol/kafka/kafka_data/", "root@10.0.0.4:/sysvol/kafka/kafka_data/");

    List<String> many = IntStream.range(0, 250).mapToObj(i -> "d/f" + i).toList();
    List<RemoteCommand> split = RsyncCommands.resend(ROW, many, "10.0.0.4");
    assertThat(split).hasSize(3);
    assertThat(split).allMatch(c -> c.argv().contains("--include=/d/"));
    assertThat(split.get(2).argv()).contains("--include=/d/f249").doesNotContain("--include=/d/f199");
    assertThat(split).allMatch(c -> c.toString().length() < 8_000);
  }

  @Test
  void theWholeRowByChecksumIsTheFinalCopyWithChecksum() {
    assertThat(RsyncCommands.copy(ROW, Mode.FINAL, 0, "10.0.0.4", true).argv()).containsExactly(
        "rsync", "-a", "--numeric-ids", "--delete", "--checksum", "--info=progress2",
        "--no-inc-recursive", "--stats", "/sysvol/kafka/kafka_data/",
        "root@10.0.0.4:/sysvol/kafka/kafka_data/");
  }
}
