package io.lockstep.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.audit.ChainBreak.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit chain over real, migrated databases; run once per database by the subclasses. */
abstract class AuditLogContract {

  AnAuditTrail trail;
  AuditLog log;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    trail = AnAuditTrail.on(database());
    log = trail.log;
  }

  @Test
  void appendsGaplessRowsEachLinkedToTheOneBefore() {
    AuditEntry first = log.append("PLAN_CREATED", "op1", null, "Created plan p-1", Map.of("plan", "p-1"));
    trail.clock.advance(Duration.ofSeconds(1));
    AuditEntry second = log.append("RUN_REQUESTED", "op1", "r-1", "Requested run r-1", Map.of("plan", "p-1", "phases", 3));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.hash()).matches("[0-9a-f]{64}").isNotEqualTo(first.hash());
    assertThat(second.details()).containsEntry("plan", "p-1").containsEntry("phases", 3);
    assertThat(second.occurredAt()).isEqualTo(AnAuditTrail.T0.plusSeconds(1));

    AuditPage newest = log.page(AuditFilter.ALL, AuditOrder.NEWEST_FIRST, 0, 10);
    assertThat(newest.entries()).containsExactly(second, first);
    assertThat(log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 0, 10).entries()).containsExactly(first, second);
  }

  @Test
  void filtersByRunActorTypeAndTimeAndPages() {
    for (int i = 1; i <= 12; i++) {
      log.append(i % 3 == 0 ? "STEP_FINISHED" : "STEP_STARTED", i % 2 == 0 ? "op1" : "system",
          i <= 6 ? "r-1" : "r-2", "step " + i, Map.of());
      trail.clock.advance(Duration.ofMinutes(1));
    }
    assertThat(log.count(AuditFilter.forRun("r-1"))).isEqualTo(6);
    assertThat(seqs(log.page(new AuditFilter("r-2", "op1", null, null, null), AuditOrder.OLDEST_FIRST, 0, 10)))
        .containsExactly(8L, 10L, 12L);
    assertThat(seqs(log.page(new AuditFilter(null, null, "step_finished", null, null), AuditOrder.NEWEST_FIRST, 0, 10)))
        .containsExactly(12L, 9L, 6L, 3L);
    AuditFilter window = new AuditFilter(null, null, null, AnAuditTrail.T0.plusSeconds(120), AnAuditTrail.T0.plusSeconds(300));
    assertThat(seqs(log.page(window, AuditOrder.OLDEST_FIRST, 0, 10))).containsExactly(3L, 4L, 5L);

    AuditPage second = log.page(AuditFilter.ALL, AuditOrder.NEWEST_FIRST, 1, 5);
    assertThat(seqs(second)).containsExactly(7L, 6L, 5L, 4L, 3L);
    assertThat(second.total()).isEqualTo(12);
    assertThat(second.pages()).isEqualTo(3);
    assertThat(second.hasNext()).isTrue();
    assertThat(log.pageOf(AuditFilter.ALL, AuditOrder.NEWEST_FIRST, 2, 5)).isEqualTo(2);
    assertThat(log.types()).containsExactly("STEP_FINISHED", "STEP_STARTED");
    assertThat(log.typeCounts(AuditFilter.forRun("r-1"), Long.MAX_VALUE))
        .extracting(TypeCount::type, TypeCount::count)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("STEP_STARTED", 4L),
            org.assertj.core.groups.Tuple.tuple("STEP_FINISHED", 2L));
  }

  @Test
  void verifiesACleanChainWithItsHeadHashAndCount() {
    assertThat(log.verify()).satisfies(v -> {
      assertThat(v.ok()).isTrue();
      assertThat(v.rows()).isZero();
      assertThat(v.headHash()).isEqualTo(AuditChain.GENESIS);
    });
    AuditEntry last = appendRows(2500);
    Verification v = log.verify();
    assertThat(v.ok()).as(v.describe()).isTrue();
    assertThat(v.rows()).isEqualTo(2500);
    assertThat(v.headHash()).isEqualTo(last.hash());
    assertThat(v.brokenSeq()).isNull();
  }

  @Test
  void aSummaryChangedBySqlIsReportedAtThatRow() {
    appendRows(30);
    trail.jdbc.sql("UPDATE audit_event SET summary = 'nothing happened' WHERE seq = 17").update();

    Verification v = log.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.brokenSeq()).isEqualTo(17);
    assertThat(v.problem()).isEqualTo("row 17: hash does not match its content");
    assertThat(v.rows()).as("the walk goes on past the break").isEqualTo(30);
    assertThat(v.breaks()).extracting(ChainBreak::kind).containsExactly(Kind.HASH_MISMATCH);
  }

  @Test
  void aRowResealedBySqlIsReportedAtTheNextRow() {
    appendRows(30);
    StoredEvent row = log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 16, 1)
        .entries().stream().findFirst()
        .map(e -> new StoredEvent(e.seq(), e.occurredAt(), e.actor(), e.type(), e.runId(), "nothing happened",
            "{}", e.prevHash(), null))
        .orElseThrow();
    trail.jdbc.sql("UPDATE audit_event SET summary = :s, details = '{}', hash = :h WHERE seq = 17")
        .param("s", row.summary()).param("h", AuditChain.hash(row)).update();

    Verification v = log.verify();
    assertThat(v.brokenSeq()).isEqualTo(18);
    assertThat(v.problem()).isEqualTo("row 18: prev_hash does not match row 17");
  }

  @Test
  void aDeletedRowIsReportedAtThatRow() {
    appendRows(30);
    trail.jdbc.sql("DELETE FROM audit_event WHERE seq = 12").update();

    Verification v = log.verify();
    assertThat(v.brokenSeq()).isEqualTo(12);
    assertThat(v.problem()).isEqualTo("row 12: missing (row 13 follows row 11)");
  }

  @Test
  void rowsCutOffTheEndAreReported() {
    appendRows(30);
    trail.jdbc.sql("DELETE FROM audit_event WHERE seq >= 29").update();

    Verification v = log.verify();
    assertThat(v.brokenSeq()).isEqualTo(29);
    assertThat(v.problem()).startsWith("rows 29-30: missing (the chain head records 30 rows");
  }

  @Test
  void aRowForgedOntoTheEndBySqlIsReported() {
    AuditEntry last = appendRows(5);
    StoredEvent forged = AuditChain.seal(6, last.hash(), last.occurredAt().plusSeconds(1),
        new NewEvent("PHASE_APPROVED", "ap1", "r-1", "approved (forged)", "{}"));
    new AuditEvents(trail.jdbc).insert(forged);

    Verification v = log.verify();
    assertThat(v.brokenSeq()).isEqualTo(6);
    assertThat(v.problem()).isEqualTo("row 6: not recorded by the chain head, which ends at row 5");
  }

  @Test
  void concurrentAppendsFromEightThreadsKeepTheChainValidAndGapless() throws Exception {
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String actor = "worker-" + t;
        work.add(() -> {
          for (int i = 0; i < each; i++) {
            log.append("STEP_FINISHED", actor, "r-" + actor, actor + " step " + i, Map.of("i", i));
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Verification v = log.verify();
    assertThat(v.ok()).as(v.describe()).isTrue();
    assertThat(v.rows()).isEqualTo(threads * each);
    assertThat(seqs(log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 0, threads * each)))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
  }

  @Test
  void anAppendInATransactionThatRollsBackLeavesNoRowAndNoGap() {
    log.append("PLAN_CREATED", "op1", null, "kept", Map.of());
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(trail.database));
    tx.executeWithoutResult(status -> {
      log.append("PLAN_EDITED", "op1", null, "rolled back", Map.of());
      status.setRollbackOnly();
    });
    AuditEntry next = log.append("PLAN_EDITED", "op1", null, "kept too", Map.of());

    assertThat(next.seq()).isEqualTo(2);
    assertThat(log.count(AuditFilter.ALL)).isEqualTo(2);
    assertThat(log.verify().ok()).isTrue();
  }

  @Test
  void refusesMalformedEvents() {
    assertThatThrownBy(() -> log.append("plan created", "op1", null, "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper snake case");
    assertThatThrownBy(() -> log.append("PLAN_CREATED", " ", null, "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an actor");
    assertThat(log.count(AuditFilter.ALL)).isZero();
  }

  @Test
  void storesChineseAndLongSummariesClipped() {
    AuditEntry e = log.append("STEP_STARTED", "op1", "r-1", "停止应用服务 " + "x".repeat(3000), Map.of("节点", "node-1"));
    assertThat(e.summary()).startsWith("停止应用服务").hasSize(NewEvent.SUMMARY_MAX).endsWith("…");
    assertThat(log.page(AuditFilter.ALL, AuditOrder.NEWEST_FIRST, 0, 1).entries().get(0)).isEqualTo(e);
    assertThat(log.verify().ok()).isTrue();
  }

  @Test
  void newestRowsDeletedWithTheHeadRewrittenToMatchAreReportedByTheAnchorWithTheMissingNumbers() {
    appendEach(10);
    cutOffFrom(8);

    Verification v = log.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.breaks()).singleElement().satisfies(b -> {
      assertThat(b.kind()).isEqualTo(Kind.ROWS_MISSING);
      assertThat(b.seq()).isEqualTo(8);
      assertThat(b.throughSeq()).isEqualTo(10);
      assertThat(b.problem()).startsWith("rows 8-10: missing (the anchor file records row 10 with hash ")
          .endsWith("the table ends at row 7)");
    });
    assertThat(trail.restarted().log.verify().breaks()).extracting(ChainBreak::key)
        .as("after a restart, read from the anchor file alone").containsExactly("ROWS_MISSING:8-10");
  }

  @Test
  void aMiddleRowEditedAndTheNewestDeletedAreBothReported() {
    appendRows(30);
    trail.jdbc.sql("UPDATE audit_event SET summary = 'nothing happened' WHERE seq = 12").update();
    cutOffFrom(29);

    Verification v = log.verify();
    assertThat(v.breaks()).extracting(ChainBreak::key).containsExactly("HASH_MISMATCH:12-12", "ROWS_MISSING:29-30");
    assertThat(v.brokenSeq()).isEqualTo(12);
    assertThat(v.problem()).isEqualTo("row 12: hash does not match its content");
  }

  @Test
  void everyDeletedOrEditedRowIsReportedNotOnlyTheFirst() {
    appendRows(40);
    trail.jdbc.sql("DELETE FROM audit_event WHERE seq IN (5, 6, 20)").update();
    trail.jdbc.sql("UPDATE audit_event SET actor = 'nobody' WHERE seq IN (11, 33)").update();

    assertThat(log.verify().breaks()).extracting(ChainBreak::problem).containsExactly(
        "rows 5-6: missing (row 7 follows row 4)", "row 11: hash does not match its content",
        "row 20: missing (row 21 follows row 19)", "row 33: hash does not match its content");
  }

  @Test
  void aChainResealedFromAMiddleRowOnIsCaughtByTheAnchoredHashes() {
    appendEach(8);
    List<StoredEvent> rows = new AuditEvents(trail.jdbc).after(AuditFilter.ALL, 0, Long.MAX_VALUE, 100);
    String prev = rows.get(3).hash();
    for (StoredEvent e : rows.subList(4, 8)) {
      String summary = e.seq() == 5 ? "nothing happened" : e.summary();
      StoredEvent forged = AuditChain.seal(e.seq(), prev, e.occurredAt(),
          new NewEvent(e.type(), e.actor(), e.runId(), summary, e.details()));
      trail.jdbc.sql("UPDATE audit_event SET summary = :s, prev_hash = :p, hash = :h WHERE seq = :seq")
          .param("s", forged.summary()).param("p", forged.prevHash()).param("h", forged.hash()).param("seq", e.seq())
          .update();
      prev = forged.hash();
    }
    trail.jdbc.sql("UPDATE audit_head SET last_hash = :h WHERE id = 1").param("h", prev).update();

    assertThat(log.verify().breaks()).extracting(ChainBreak::key)
        .containsExactly("ANCHOR_DISAGREES:5-5", "ANCHOR_DISAGREES:6-6", "ANCHOR_DISAGREES:7-7", "ANCHOR_DISAGREES:8-8");
  }

  @Test
  void theNextEventAfterACutDoesNotReuseANumberTheAnchorHasSeen() {
    appendEach(10);
    String hash7 = cutOffFrom(8);

    AnAuditTrail restarted = trail.restarted();
    AuditEntry next = restarted.log.append("PLAN_CREATED", "op1", null, "after the cut", Map.of());
    assertThat(next.seq()).isEqualTo(11);
    assertThat(next.prevHash()).as("linked to the last row that is there").isEqualTo(hash7);
    assertThat(restarted.log.verify().breaks()).extracting(ChainBreak::key, ChainBreak::problem)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ROWS_MISSING:8-10", "rows 8-10: missing (row 11 follows row 7)"));
  }

  @Test
  void anAnchorOneCommitBehindTheDatabaseIsNotABreakAndIsCaughtUp() throws Exception {
    appendEach(5);
    byte[] beforeLastCheckpoint = Files.readAllBytes(trail.anchorFile);
    AuditEntry last = log.append("PLAN_CREATED", "op1", null, "committed, then the console was killed", Map.of());
    // What a SIGKILL between the commit and the checkpoint leaves: the row without its line.
    Files.write(trail.anchorFile, beforeLastCheckpoint);

    AnAuditTrail restarted = trail.restarted();
    Verification v = restarted.log.verify();
    assertThat(v.ok()).as(v.describe()).isTrue();
    assertThat(v.rows()).isEqualTo(6);
    assertThat(v.anchor().seq()).isEqualTo(5);

    restarted.log.anchorHead(false);
    assertThat(restarted.anchor.latest().seq()).isEqualTo(last.seq());
    assertThat(restarted.anchor.latest().hash()).isEqualTo(last.hash());
    assertThat(restarted.restarted().log.verify().ok()).isTrue();
  }

  /**
   * The engine interrupts a step's thread to abort it; that thread may be auditing at that moment.
   * The row is anchored all the same (a FileChannel, closed by the interrupt, left it unanchored),
   * and the interrupt is still there for the step to see.
   */
  @Test
  void anAppendFromAnInterruptedThreadIsAnchoredAndKeepsTheInterrupt() throws Exception {
    appendEach(2);
    java.util.concurrent.atomic.AtomicReference<AuditEntry> appended = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread step = new Thread(() -> {
      Thread.currentThread().interrupt();
      appended.set(log.append("STEP_ABORTED", "op1", "r-1", "aborted while it audited", Map.of()));
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    step.start();
    step.join();

    assertThat(appended.get()).isNotNull();
    assertThat(trail.anchor.latest().seq()).as("anchored by the interrupted thread").isEqualTo(appended.get().seq());
    assertThat(stillInterrupted).isTrue();
    AuditEntry next = log.append("RUN_ABORTED", "op1", "r-1", "the next row", Map.of());
    assertThat(trail.anchor.latest().seq()).isEqualTo(next.seq());
    Verification v = trail.restarted().log.verify();
    assertThat(v.ok()).as(v.describe()).isTrue();
    assertThat(v.anchor().seq()).isEqualTo(next.seq());
  }

  @Test
  void rowsPastTheAnchorThatDoNotChainFromItAreReported() throws Exception {
    appendEach(5);
    byte[] beforeLastCheckpoint = Files.readAllBytes(trail.anchorFile);
    log.append("PLAN_CREATED", "op1", null, "not anchored yet", Map.of());
    Files.write(trail.anchorFile, beforeLastCheckpoint);
    trail.jdbc.sql("UPDATE audit_event SET summary = 'changed' WHERE seq = 6").update();

    assertThat(trail.restarted().log.verify().breaks()).extracting(ChainBreak::key).containsExactly("HASH_MISMATCH:6-6");
  }

  @Test
  void aRewrittenAnchorLineIsReportedAsNotSigned() throws Exception {
    appendEach(4);
    AuditEntry row2 = log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 1, 1).entries().get(0);
    String text = Files.readString(trail.anchorFile);
    Files.writeString(trail.anchorFile, text.replace(" 2 " + row2.hash() + " ", " 2 " + "ab".repeat(32) + " "));

    assertThat(trail.restarted().log.verify().breaks()).extracting(ChainBreak::kind, ChainBreak::seq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.ANCHOR_SIGNATURE_BAD, 2L));
  }

  @Test
  void anAnchorFileWrittenWithAnotherKeyIsReported() {
    appendEach(3);
    AuditAnchor forger = AuditAnchor.open(trail.anchorFile, AnchorKey.of(AnAuditTrail.randomKey(), null), trail.clock);
    forger.record(99, "cd".repeat(32));
    forger.close();

    assertThat(trail.restarted().log.verify().breaks()).extracting(ChainBreak::key)
        .containsExactly("ANCHOR_SIGNATURE_BAD:99-99");
  }

  @Test
  void anAnchorFileShortenedWhileTheConsoleRunsIsReported() throws Exception {
    appendEach(4);
    List<String> lines = Files.readAllLines(trail.anchorFile);
    Files.write(trail.anchorFile, (lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.US_ASCII));

    assertThat(log.verify().breaks()).extracting(ChainBreak::kind).containsExactly(Kind.ANCHOR_TRUNCATED);
  }

  @Test
  void anAnchorFileCutInsideALineIsReported() throws Exception {
    appendEach(3);
    byte[] bytes = Files.readAllBytes(trail.anchorFile);
    Files.write(trail.anchorFile, Arrays.copyOf(bytes, bytes.length - 20));

    AnAuditTrail restarted = trail.restarted();
    assertThat(restarted.log.verify().breaks()).extracting(ChainBreak::kind).containsExactly(Kind.ANCHOR_UNREADABLE);
    restarted.log.append("PLAN_CREATED", "op1", null, "after the torn line", Map.of());
    assertThat(restarted.restarted().log.verify().breaks()).as("the next checkpoint starts on a line of its own")
        .extracting(ChainBreak::kind).containsExactly(Kind.ANCHOR_UNREADABLE);
  }

  @Test
  void aRemovedAnchorFileIsReportedWhileTheTrailHoldsRows() throws Exception {
    appendEach(2);
    Files.delete(trail.anchorFile);

    assertThat(trail.restarted().log.verify().breaks()).extracting(ChainBreak::kind).containsExactly(Kind.ANCHOR_MISSING);
  }

  @Test
  void aRolledBackAppendIsNeverAnchored() {
    log.append("PLAN_CREATED", "op1", null, "kept", Map.of());
    new TransactionTemplate(new DataSourceTransactionManager(trail.database)).executeWithoutResult(status -> {
      log.append("PLAN_EDITED", "op1", null, "rolled back", Map.of());
      status.setRollbackOnly();
    });
    assertThat(trail.anchor.latest().seq()).isEqualTo(1);
    assertThat(trail.restarted().log.verify().ok()).isTrue();
  }

  /** Deletes the rows from {@code seq} on and rewrites the head to match, as an attacker would; returns the new head's hash. */
  private String cutOffFrom(long seq) {
    String hash = trail.jdbc.sql("SELECT hash FROM audit_event WHERE seq = :s").param("s", seq - 1).query(String.class).single();
    trail.jdbc.sql("DELETE FROM audit_event WHERE seq >= :s").param("s", seq).update();
    trail.jdbc.sql("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1").param("s", seq - 1).param("h", hash).update();
    return hash;
  }

  /** Appends {@code n} rows, each in a transaction of its own (so each is anchored). */
  private void appendEach(int n) {
    for (int i = 1; i <= n; i++) {
      log.append("STEP_FINISHED", "system", "r-1", "step " + i + " finished", Map.of("step", i));
      trail.clock.advance(Duration.ofMillis(500));
    }
  }

  /** Appends {@code n} rows in one transaction (one connection), so large chains build fast. */
  private AuditEntry appendRows(int n) {
    return new TransactionTemplate(new DataSourceTransactionManager(trail.database)).execute(status -> {
      AuditEntry last = null;
      for (int i = 1; i <= n; i++) {
        last = log.append("STEP_FINISHED", "system", "r-1", "step " + i + " finished", Map.of("step", i, "exit", 0));
        trail.clock.advance(Duration.ofMillis(1234));
      }
      return last;
    });
  }

  private static List<Long> seqs(AuditPage page) {
    return page.entries().stream().map(AuditEntry::seq).toList();
  }
}
