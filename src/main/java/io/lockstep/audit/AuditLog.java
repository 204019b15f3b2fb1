package io.lockstep.audit;

import io.lockstep.audit.AuditEvents.Head;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail: append-only, every row hash-chained to the one before.
 *
 * <p>Contract: {@link #append} masks the summary and every string of the details in the scope of
 * the event's run ({@link SecretMasker#forRun}; credential shapes only for an event of no run)
 * before anything is hashed or stored, then seals the row as the next link of the
 * chain. Appends are serialized through a lock on the chain head, across threads and console
 * instances, so the chain never forks and seq stays gapless. An append joins the caller's
 * transaction when there is one (the change and its audit row commit or roll back together) and
 * holds the head lock until that transaction ends (so code inside a long transaction should
 * publish an {@link io.lockstep.system.Auditable} event, appended just before commit, rather than
 * call this directly); without one it commits on its own. Once that transaction has committed,
 * its last row is anchored in the {@link AuditAnchor anchor file} (a rolled-back row never is).
 * Nothing here, or anywhere in the console, updates or deletes an audit row; {@link #verify} finds
 * it if someone does so behind the console's back, even with the head rewritten to match.
 *
 * <p>Numbers are never reused: the next row is numbered past both the head and the newest
 * checkpoint, so after rows were cut off the end (and the head rewritten) the next row leaves a
 * gap where they were, and links to the last row that is there. The gap stays visible to every
 * later verify, as evidence of the cut.
 */
@Component
public class AuditLog {

  private final AuditEvents events;
  private final SecretMasker masker;
  private final Clock clock;
  private final TransactionTemplate transactions;
  private final AuditAnchor anchor;

  AuditLog(AuditEvents events, SecretMasker masker, Clock clock, PlatformTransactionManager transactionManager,
      AuditAnchor anchor) {
    this.events = events;
    this.anchor = anchor;
    this.masker = masker;
    this.clock = clock;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /**
   * Appends one event as the next row of the chain and returns it as stored.
   *
   * @param type upper snake case, e.g. {@code PHASE_APPROVED}
   * @param actor the user name, or {@code system}
   * @param runId the run the event concerns, or null
   * @param summary one line a person reads (masked; clipped to 2,000 characters)
   * @param details structured facts: strings (masked), numbers, booleans, nested maps and lists
   * @throws IllegalArgumentException for a malformed type or run id, or a missing actor
   */
  public AuditEntry append(String type, String actor, String runId, String summary, Map<String, ?> details) {
    SecretScope scope = masker.forRun(runId);
    NewEvent event = new NewEvent(type, actor, runId, scope.mask(summary), EventDetails.canonical(details, scope));
    StoredEvent stored = transactions.execute(status -> {
      Head head = events.lockHead();
      Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
      StoredEvent row = AuditChain.seal(anchor.nextSeqAfter(head.seq()), head.hash(), at, event);
      events.insert(row);
      events.moveHead(new Head(row.seq(), row.hash()));
      anchorAfterCommit(row);
      return row;
    });
    return entry(stored);
  }

  /**
   * Anchors {@code row} once the transaction it was written in commits. Appends in the same
   * transaction replace each other's row, so a transaction leaves one checkpoint, for its last row.
   */
  private void anchorAfterCommit(StoredEvent row) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("audit rows are appended with transaction synchronization on");
    }
    for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
      if (s instanceof AnchorOnCommit pending) {
        pending.row = row;
        return;
      }
    }
    TransactionSynchronizationManager.registerSynchronization(new AnchorOnCommit(row));
  }

  private final class AnchorOnCommit implements TransactionSynchronization {
    private StoredEvent row;

    AnchorOnCommit(StoredEvent row) {
      this.row = row;
    }

    @Override
    public void afterCommit() {
      anchor.record(row.seq(), row.hash());
    }
  }

  /**
   * Anchors the head as it stands: after start-up found the rows past the newest checkpoint
   * chaining from it (a crash between a commit and its checkpoint), or, with {@code restart},
   * re-reads a damaged anchor file, or starts a missing one, at the head (an approver acknowledged it).
   */
  void anchorHead(boolean restart) {
    if (restart) {
      anchor.resync();
    }
    Head head = events.head();
    if (!anchor.exists()) {
      if (restart) {
        anchor.start(head.seq(), head.hash());
      }
      return;
    }
    anchor.record(head.seq(), head.hash());
  }

  /** The newest checkpoint of the anchor file (for exports), or null when there is no anchor file. */
  Checkpoint anchored() {
    return anchor.latest();
  }

  /** One page of the rows matching {@code filter}; {@code page} is zero-based. */
  public AuditPage page(AuditFilter filter, AuditOrder order, int page, int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page must be 0 or more and size at least 1");
    }
    List<AuditEntry> rows = events.page(filter, order, (long) page * size, size).stream()
        .map(AuditLog::entry).toList();
    return new AuditPage(rows, page, size, events.count(filter));
  }

  /** The zero-based page of {@code size} rows on which row {@code seq} stands (or would stand). */
  public int pageOf(AuditFilter filter, AuditOrder order, long seq, int size) {
    return (int) (events.countBefore(filter, order, seq) / size);
  }

  public long count(AuditFilter filter) {
    return events.count(filter);
  }

  /** The event types that occur in the trail, alphabetically. */
  public List<String> types() {
    return events.types();
  }

  /**
   * Hands every row matching {@code filter} up to row {@code upTo} to {@code consumer}, oldest
   * first, reading a batch at a time, so exports of any size stream in bounded memory.
   */
  public void forEach(AuditFilter filter, long upTo, Consumer<AuditEntry> consumer) {
    forEachStored(filter, upTo, row -> consumer.accept(entry(row)));
  }

  /** As {@link #forEach}, with the rows exactly as stored (details as their hashed JSON text). */
  void forEachStored(AuditFilter filter, long upTo, Consumer<StoredEvent> consumer) {
    List<StoredEvent> batch = events.after(filter, 0, upTo, AuditChain.BATCH);
    while (!batch.isEmpty()) {
      batch.forEach(consumer);
      batch = events.after(filter, batch.get(batch.size() - 1).seq(), upTo, AuditChain.BATCH);
    }
  }

  /**
   * Walks the whole chain in order, recomputing every hash and link, and checks it against the
   * recorded head and the anchor file: no row may be missing before the head or the newest
   * checkpoint, differ from what the anchor file recorded, or stand after the head; every line of
   * the anchor file must carry the site's signature. Reports every break. Reads a batch at a time.
   */
  public Verification verify() {
    try (AuditAnchor.Scan scan = anchor.scan()) {
      Head before = events.head();
      AuditChain.Walk walk = AuditChain.walk(this::chainRows, Long.MAX_VALUE, before.seq(), before.hash(), scan);
      Head after = events.head();
      List<ChainBreak> breaks = new ArrayList<>(walk.breaks);
      if (walk.lastSeq > after.seq()) {
        long stray = after.seq() + 1;
        String what = stray == walk.lastSeq ? "row " + stray : "rows " + stray + "-" + walk.lastSeq;
        breaks.add(new ChainBreak(ChainBreak.Kind.ROW_NOT_IN_HEAD, stray, walk.lastSeq,
            what + ": not recorded by the chain head, which ends at row " + after.seq()));
      }
      if (scan.missing() && walk.rows > 0) {
        breaks.add(new ChainBreak(ChainBreak.Kind.ANCHOR_MISSING, null, null, ("the anchor file %s does not exist, "
            + "but the trail holds %d rows: it was removed, or the trail is older than anchoring; an approver's "
            + "acknowledgement starts a new one").formatted(anchor.file(), walk.rows)));
      }
      return Verification.of(walk.rows, walk.lastHash, breaks, walk.anchored, clock.instant());
    }
  }

  /** Verifies rows 1..{@code seq} against {@code hash} as their head (for a report ending at that row). */
  Verification verifyUpTo(long seq, String hash) {
    try (AuditAnchor.Scan scan = anchor.scan()) {
      AuditChain.Walk walk = AuditChain.walk(this::chainRows, seq, seq, hash, scan);
      return Verification.of(walk.rows, walk.lastHash, walk.breaks, walk.anchored, clock.instant());
    }
  }

  private List<StoredEvent> chainRows(long after, long upTo, int limit) {
    return events.after(AuditFilter.ALL, after, upTo, limit);
  }

  /** Rows per type among those matching {@code filter} up to row {@code upTo}. */
  List<TypeCount> typeCounts(AuditFilter filter, long upTo) {
    return events.typeCounts(filter, upTo);
  }

  static AuditEntry entry(StoredEvent e) {
    return new AuditEntry(e.seq(), e.occurredAt(), e.actor(), e.type(), e.runId(), e.summary(),
        EventDetails.parse(e.details()), e.prevHash(), e.hash());
  }
}
