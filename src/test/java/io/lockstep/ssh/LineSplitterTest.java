package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private final List<String> lines = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(lines::add);

  @Test
  void newlinesCarriageReturnsAndBothEndLines() {
    write("one\ntwo\r\nthree\rfour\n");
    assertThat(lines).containsExactly("one", "two", "three", "four");
  }

  @Test
  void rsyncProgressShowsEveryRedraw() {
    write("mariadb/ibdata1\n");
    write("     32,768   0%    0.00kB/s    0:00:00\r");
    write("  1,048,576 100%   12.34MB/s    0:00:00 (xfr#1, to-chk=0/1)\n");
    assertThat(lines).containsExactly("mariadb/ibdata1", "     32,768   0%    0.00kB/s    0:00:00",
        "  1,048,576 100%   12.34MB/s    0:00:00 (xfr#1, to-chk=0/1)");
  }

  @Test
  void emptyLinesAreKeptButEmptyRedrawsAreNot() {
    write("a\n\nb\r\r\rc\n");
    assertThat(lines).containsExactly("a", "", "b", "c");
  }

  @Test
  void aLineIsHandedOnOnlyWhenItEnds() {
    write("partial");
    assertThat(lines).isEmpty();
    write(" line\n");
    assertThat(lines).containsExactly("partial line");
  }

  @Test
  void aCharacterSplitAcrossPacketsComesOutWhole() {
    byte[] bytes = "数据迁移\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      splitter.write(new byte[] {b}, 0, 1);
    }
    assertThat(lines).containsExactly("数据迁移");
  }

  @Test
  void finishHandsOnTheUnfinishedLastLineOnce() {
    write("no newline at the end");
    splitter.finish();
    splitter.finish();
    write("ignored\n");
    assertThat(lines).containsExactly("no newline at the end");
  }

  @Test
  void aHugeLineComesInPieces() {
    char[] huge = new char[LineSplitter.MAX_LINE * 2 + 10];
    Arrays.fill(huge, 'x');
    write(new String(huge) + "\n");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).hasSize(LineSplitter.MAX_LINE);
    assertThat(lines.get(2)).hasSize(10);
  }

  /**
   * A secret that straddles the 64 KiB cut of an overlong line (a one-line JSON or jsonpath answer
   * holding a password) arrives in two pieces; each is masked as a line of its own downstream, so
   * neither matches the secret: the piece after the cut begins with the secret's tail in clear, and
   * that is what the run's log stores and streams (the head, 64 KiB into the first piece, falls
   * beyond the log's cut of a long line, but an executor that collects output keeps it).
   */
  @Test
  void aSecretAcrossTheCutOfAnOverlongLineIsMaskedWhole() {
    String secret = "CanaryZq7-split-5c1e";
    io.lockstep.system.SecretMasker masker = new io.lockstep.system.SecretMasker();
    masker.planStored("plan-1", List.of(secret));
    masker.runOfPlan("run-1", "plan-1");
    char[] before = new char[LineSplitter.MAX_LINE - secret.length() / 2];
    Arrays.fill(before, 'x');
    write(new String(before) + secret + " and the rest\n");
    assertThat(lines).hasSize(2);
    List<String> shown = lines.stream().map(masker.forRun("run-1")::mask).toList();
    assertThat(String.join("", shown)).doesNotContain(secret.substring(0, 4))
        .doesNotContain(secret.substring(secret.length() - 4)).doesNotContain("split");
  }

  private void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    splitter.write(bytes, 0, bytes.length);
  }
}
