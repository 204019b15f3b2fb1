package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.system.SecretMasker;
import io.lockstep.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Lines appended inside a transaction: stored with it, fanned out after its commit, gone with its rollback. */
class RunLogTransactionsTest {

  DataSource database;
  Published published;
  RunLog runLog;
  TransactionTemplate transaction;
  String run = "run-tx";

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    published = new Published(database);
    runLog = ARunLog.on(database, new SecretMasker(), published);
    transaction = new TransactionTemplate(new JdbcTransactionManager(database));
  }

  @Test
  void linesOfATransactionAreFannedOutOnlyAfterItCommitted() {
    runLog.append(run, LogLine.sys(null, "before"));
    transaction.executeWithoutResult(status -> {
      runLog.append(run, LogLine.sys("approve", "phase 1 approved by ap1"));
      runLog.appendAll(run, ARunLog.lines("approve", 1, 2));
      assertThat(published.seqs).containsExactly(1L);
    });

    assertThat(published.seqs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(published.storedWhenPublished).containsOnly(true);
  }

  @Test
  void aRollbackTakesTheLinesAndTheirSeqsBack() {
    runLog.append(run, LogLine.sys(null, "before"));
    transaction.executeWithoutResult(status -> {
      runLog.appendAll(run, ARunLog.lines("s", 1, 3));
      status.setRollbackOnly();
    });
    assertThat(runLog.append(run, LogLine.sys(null, "after"))).isEqualTo(2);

    assertThat(runLog.tail(run, 10)).extracting(StoredLine::text).containsExactly("before", "after");
    assertThat(published.seqs).containsExactly(1L, 2L);
  }

  @Test
  void aWriterOfTheSameRunWaitsForAnOpenTransactionSoSeqsStayInOrder() throws Exception {
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> inTransaction = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(s -> {
      runLog.append(run, LogLine.sys("a", "in the transaction"));
      appended.countDown();
      await(release);
    }));
    assertThat(appended.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Long> outside =
        CompletableFuture.supplyAsync(() -> runLog.append(run, LogLine.out("b", "n", "outside")));
    Thread.sleep(200);
    assertThat(outside).as("waits for the transaction").isNotDone();
    assertThat(runLog.append("another-run", LogLine.out("c", "n", "x"))).as("other runs do not wait").isEqualTo(1);

    release.countDown();
    inTransaction.get(5, TimeUnit.SECONDS);
    assertThat(outside.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(published.seqs).containsExactly(1L, 2L);
  }

  @Test
  void aSuspendedTransactionThatWroteToTheRunMakesANestedWriteFail() {
    TransactionTemplate requiresNew = new TransactionTemplate(transaction.getTransactionManager());
    requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    assertThatThrownBy(() -> transaction.executeWithoutResult(outer -> {
      runLog.append(run, LogLine.sys(null, "outer"));
      requiresNew.executeWithoutResult(inner -> runLog.append(run, LogLine.sys(null, "inner")));
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("suspended transaction");

    assertThat(runLog.append(run, LogLine.sys(null, "next"))).isEqualTo(1);
  }

  @Test
  void finishingInATransactionEndsTheLogOnlyWhenItCommits() {
    runLog.append(run, LogLine.sys(null, "done"));
    transaction.executeWithoutResult(status -> {
      runLog.finish(run);
      status.setRollbackOnly();
    });
    assertThat(runLog.isFinished(run)).isFalse();
    assertThat(published.ends).isZero();

    transaction.executeWithoutResult(status -> runLog.finish(run));
    assertThat(runLog.isFinished(run)).isTrue();
    assertThat(published.ends).isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records what is fanned out, and whether another connection could already read it then. */
  static final class Published extends LogSubscribers {
    final DataSource database;
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<Boolean> storedWhenPublished = new CopyOnWriteArrayList<>();
    volatile int ends;

    Published(DataSource database) {
      super(new RunLogLines(database), ARunLog.views(), LogstreamProperties.defaults());
      this.database = database;
    }

    @Override
    void publish(String runId, List<StoredLine> stored) {
      if (!runId.equals("run-tx")) {
        return;
      }
      for (StoredLine line : stored) {
        seqs.add(line.seq());
        storedWhenPublished.add(visibleToAnotherConnection(runId, line.seq()));
      }
    }

    @Override
    void end(String runId) {
      ends++;
    }

    private boolean visibleToAnotherConnection(String runId, long seq) {
      try (Connection other = database.getConnection();
          PreparedStatement query =
              other.prepareStatement("SELECT COUNT(*) FROM run_log_line WHERE run_id = ? AND seq = ?")) {
        query.setString(1, runId);
        query.setLong(2, seq);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          return rs.getInt(1) == 1;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
