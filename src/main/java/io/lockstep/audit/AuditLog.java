package io.lockstep.audit;

import io.lockstep.audit.AuditEvents.Head;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
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
 * call this directly); without one it commits on its own. Nothing here, or anywhere in the
 * console, updates or deletes an audit row; {@link #verify} finds it if someone does so behind the
 * console's back.
 */
@Component
public class AuditLog {

  private final AuditEvents events;
  private final SecretMasker masker;
  private final Clock clock;
  private final TransactionTemplate transactions;

  AuditLog(AuditEvents events, SecretMasker masker, Clock clock, PlatformTransactionManager transactionManager) {
    this.events = events;
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
      StoredEvent row = AuditChain.seal(head.seq() + 1, head.hash(), at, event);
      events.insert(row);
      events.moveHead(new Head(row.seq(), row.hash()));
      return row;
    });
    return entry(stored);
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
   * recorded head: no row may be missing before it, nor stand after it. Reads a batch at a time.
   */
  public Verification verify() {
    Head before = events.head();
    Verification walked = AuditChain.verify(this::chainRows, Long.MAX_VALUE, before.seq(), before.hash(), clock);
    Head after = events.head();
    if (walked.ok() && walked.rows() > after.seq()) {
      long stray = after.seq() + 1;
      return Verification.broken(after.seq(), after.hash(), stray,
          "row %d: not recorded by the chain head, which ends at row %d".formatted(stray, after.seq()), clock.instant());
    }
    return walked;
  }

  /** Verifies rows 1..{@code seq} against {@code hash} as their head (for a report ending at that row). */
  Verification verifyUpTo(long seq, String hash) {
    return AuditChain.verify(this::chainRows, seq, seq, hash, clock);
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
