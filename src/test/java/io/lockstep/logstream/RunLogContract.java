package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.system.SecretMasker;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stored run log over real, migrated databases; run once per database by the subclasses. */
abstract class RunLogContract {

  private static final Logger log = LoggerFactory.getLogger(RunLogContract.class);
  static final String SECRET = "Tr0ub4dor&3-horse";

  DataSource database;
  SecretMasker masker;
  RunLog runLog;
  String run;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    database = database();
    masker = new SecretMasker();
    runLog = ARunLog.on(database, masker);
    run = "run-" + UUID.randomUUID().toString().substring(0, 8);
    masker.runRead(run, java.util.List.of(SECRET));
  }

  /**
   * The engine interrupts a step's thread to abort it; what the step logs then is kept (it used to
   * throw "interrupted while waiting to write the log", so the step ended on that instead of on the
   * interrupt), and the interrupt is still there for the step to see.
   */
  @Test
  void aLineFromAnInterruptedThreadIsWrittenAndTheInterruptKept() throws Exception {
    runLog.append(run, LogLine.sys("one.gate", "started"));
    java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread step = new Thread(() -> {
      Thread.currentThread().interrupt();
      seq.set(runLog.append(run, LogLine.sys("one.gate", "waiting at gate one")));
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    step.start();
    step.join();

    assertThat(seq.get()).isEqualTo(2);
    assertThat(stillInterrupted).isTrue();
    assertThat(runLog.tail(run, 10)).extracting(StoredLine::text).containsExactly("started", "waiting at gate one");
  }

  @Test
  void seqsStartAtOneHaveNoGapsAndAreCountedPerRun() {
    assertThat(runLog.append(run, LogLine.sys(null, "run started"))).isEqualTo(1);
    assertThat(runLog.appendAll(run, ARunLog.lines("drain", 2, 3))).isEqualTo(4);
    assertThat(runLog.append("other-" + run, LogLine.err("scale", "node-2", "boom"))).isEqualTo(1);
    assertThat(runLog.append(run, LogLine.out("drain", "node-1", "line 5"))).isEqualTo(5);

    assertThat(runLog.tail(run, 100)).extracting(StoredLine::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(runLog.tail(run, 2)).extracting(StoredLine::text).containsExactly("line 4", "line 5");
    assertThat(runLog.after(run, 1, 2)).extracting(StoredLine::text).containsExactly("line 2", "line 3");
    StoredLine other = runLog.tail("other-" + run, 10).get(0);
    assertThat(other).extracting(StoredLine::step, StoredLine::node, StoredLine::stream, StoredLine::text)
        .containsExactly("scale", "node-2", LogLine.Stream.ERR, "boom");
    assertThat(runLog.lastSeq(run)).isEqualTo(5);
    assertThat(runLog.lastSeq("never-written")).isZero();
  }

  @Test
  void numberingContinuesAfterARestart() {
    runLog.appendAll(run, ARunLog.lines("copy", 1, 3));
    RunLog afterRestart = ARunLog.on(database, masker);
    assertThat(afterRestart.append(run, LogLine.out("copy", "node-1", "line 4"))).isEqualTo(4);
    assertThat(afterRestart.tail(run, 10)).extracting(StoredLine::seq).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void concurrentWritersOfOneRunGetEverySeqExactlyOnce() throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          for (int i = 0; i < 50; i++) {
            if (i % 10 == 0) {
              runLog.appendAll(run, ARunLog.lines("w" + writer, i, 3));
            } else {
              runLog.append(run, LogLine.out("w" + writer, "node-" + writer, "line " + i));
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdown();
    }
    assertThat(runLog.after(run, 0, 10_000)).extracting(StoredLine::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 6 * 60).boxed().toList());
  }

  @Test
  void aPlantedSecretIsMaskedBeforeItIsStored() throws Exception {
    runLog.append(run, LogLine.out("login", "node-1", "mysql -uroot -p" + SECRET + " -e 'select 1'"));
    runLog.append(run, LogLine.err("login", "node-1", "config: password=hunter2hunter2"));
    StringWriter all = new StringWriter();
    runLog.writeAll(run, all);

    assertThat(all.toString()).doesNotContain(SECRET).doesNotContain("hunter2hunter2").contains(SecretMasker.MASK);
    assertThat(runLog.tail(run, 10)).extracting(StoredLine::text).noneMatch(text -> text.contains(SECRET));
  }

  @Test
  void controlCharactersAreCleanedAndOverlongLinesCut() {
    runLog.append(run, LogLine.out("s", null, "\u001B[31mred\u001B[0m\ttab\u0000nul\rcr"));
    runLog.append(run, LogLine.out("s", null, "x".repeat(20_000)));
    List<StoredLine> stored = runLog.tail(run, 2);

    assertThat(stored.get(0).text()).isEqualTo("red\ttab nul cr");
    assertThat(stored.get(1).text()).hasSize(LineText.COLUMN_LENGTH).endsWith("more characters cut]");
  }

  @Test
  void aFinishedLogRefusesMoreLinesAlsoAfterARestart() {
    runLog.append(run, LogLine.sys(null, "run succeeded"));
    runLog.finish(run);
    runLog.finish(run);

    assertThat(runLog.isFinished(run)).isTrue();
    assertThatThrownBy(() -> runLog.append(run, LogLine.sys(null, "late")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(run).hasMessageContaining("finished");
    assertThatThrownBy(() -> ARunLog.on(database, masker).append(run, LogLine.sys(null, "late")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(runLog.lastSeq(run)).isEqualTo(1);
  }

  @Test
  void aFinishedLogOpenedAgainTakesLinesWithTheNextSeqsAndEndsAgainAlsoAfterARestart() {
    runLog.append(run, LogLine.sys(null, "run aborted"));
    runLog.finish(run);
    runLog.reopen(run);
    runLog.reopen(run);

    assertThat(runLog.isFinished(run)).isFalse();
    assertThat(runLog.append(run, LogLine.sys("actions.start-apps", "scaled back"))).isEqualTo(2);
    RunLog restarted = ARunLog.on(database, masker);
    assertThat(restarted.append(run, LogLine.sys("actions.start-apps", "ready"))).isEqualTo(3);
    restarted.finish(run);
    assertThat(runLog.isFinished(run)).isTrue();
    assertThatThrownBy(() -> restarted.append(run, LogLine.sys(null, "late"))).isInstanceOf(IllegalStateException.class);
    assertThat(restarted.tail(run, 10)).extracting(StoredLine::text).containsExactly("run aborted", "scaled back",
        "ready");
  }

  @Test
  void aHundredThousandLinesAreStoredReadAndWrittenOutInPages() throws Exception {
    long start = System.nanoTime();
    for (int batch = 0; batch < 100; batch++) {
      runLog.appendAll(run, ARunLog.lines("big", batch * 1000 + 1, 1000));
    }
    long stored = System.nanoTime();
    List<StoredLine> tail = runLog.tail(run, 500);
    List<StoredLine> middle = runLog.after(run, 50_000, 1000);
    long read = System.nanoTime();
    CountingWriter out = new CountingWriter();
    runLog.writeAll(run, out);
    long written = System.nanoTime();
    log.info("{}: 100,000 lines stored in {} ms (batches of 1,000), tail+after in {} ms, written out "
            + "({} KiB) in {} ms", getClass().getSimpleName(), (stored - start) / 1_000_000,
        (read - stored) / 1_000_000, out.chars / 1024, (written - read) / 1_000_000);

    assertThat(tail).extracting(StoredLine::seq).startsWith(99_501L).endsWith(100_000L).hasSize(500);
    assertThat(middle).extracting(StoredLine::text).startsWith("line 50001").endsWith("line 51000");
    assertThat(out.lines).isEqualTo(100_000);
    assertThat(out.first.toString()).startsWith("1\t").endsWith("\tout\tbig\tnode-1\tline 1");
  }

  /** Counts what is written, keeping only the first line. */
  static final class CountingWriter extends Writer {
    long chars;
    long lines;
    final StringBuilder first = new StringBuilder();

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        } else if (lines == 0) {
          first.append(buffer[i]);
        }
      }
      chars += length;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
