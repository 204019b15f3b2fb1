package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterJournalTest {

  @TempDir
  Path dir;

  @Test
  void appendedLinesAreInTheFileBeforeAppendReturnsWithoutAClose() throws Exception {
    Path file = dir.resolve("journal-1.jsonl");
    ClusterJournal journal = ClusterJournal.openForAppend(file);
    journal.append("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    journal.append("{\"b\":\"\u00e9\"}\n{\"c\":3}\n".getBytes(StandardCharsets.UTF_8));

    assertThat(ClusterJournal.read(file)).containsExactly("{\"a\":1}", "{\"b\":\"\u00e9\"}", "{\"c\":3}");
    assertThat(journal.size()).isEqualTo(Files.size(file));
    journal.close();
  }

  @Test
  void aTornLastLineIsLeftOutEvenInsideACharacterAndCutOffBeforeTheNextAppend() throws Exception {
    Path file = dir.resolve("journal-1.jsonl");
    byte[] whole = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
    byte[] torn = "{\"b\":\"caf\u00e9".getBytes(StandardCharsets.UTF_8);
    Files.write(file, whole);
    Files.write(file, Arrays.copyOf(torn, torn.length - 1), StandardOpenOption.APPEND);

    assertThat(ClusterJournal.read(file)).containsExactly("{\"a\":1}");
    ClusterJournal journal = ClusterJournal.openForAppend(file);
    journal.append("{\"c\":3}\n".getBytes(StandardCharsets.UTF_8));
    journal.close();
    assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n{\"c\":3}\n");
  }

  @Test
  void aFileWithoutACompleteLineHoldsNoChange() throws Exception {
    Path file = dir.resolve("journal-1.jsonl");
    Files.writeString(file, "{\"op\":\"pu");
    assertThat(ClusterJournal.read(file)).isEmpty();
    ClusterJournal.openForAppend(file).close();
    assertThat(Files.size(file)).isZero();
  }
}
