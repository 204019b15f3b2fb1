package io.lockstep.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Raises the alarm over a broken audit trail: verifies the chain once the console has started and
 * on every verify asked for, and keeps the breaks nobody has acknowledged yet, which every page
 * shows (the layout's {@code audit-alarm} banner) until an approver acknowledges them.
 *
 * <p>An acknowledgement is itself an audit event ({@value #ACKNOWLEDGED}) naming each break by its
 * {@link ChainBreak#key() key}, so the same breaks found again, after a restart too, are not raised
 * again; a new break is. It is appended like any event: numbered past the head and the newest
 * checkpoint, linked to the last row that is there. A damaged anchor file is re-read, a missing one
 * started anew, at that point. Only acknowledgements the anchor file covers count, so a row forged
 * onto the end of the table cannot silence the alarm. Verify itself keeps reporting every break.
 */
@Component
class ChainAlarm {

  static final String ACKNOWLEDGED = "AUDIT_BREAKS_ACKNOWLEDGED";
  static final int MAX_KEYS = 1000;
  private static final Logger log = LoggerFactory.getLogger(ChainAlarm.class);
  private static final Set<ChainBreak.Kind> ANCHOR_FILE = Set.of(ChainBreak.Kind.ANCHOR_MISSING,
      ChainBreak.Kind.ANCHOR_TRUNCATED, ChainBreak.Kind.ANCHOR_SIGNATURE_BAD, ChainBreak.Kind.ANCHOR_UNREADABLE);

  private final AuditLog audit;
  private volatile List<ChainBreak> open = List.of();

  ChainAlarm(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * Verifies the trail once the console is up, on a thread of its own so that start-up does not
   * wait for it (10,000 rows take a few hundred milliseconds here, a million rows a minute); pages
   * show the alarm from the moment the walk has found a break. Rows past the newest checkpoint that
   * chain from it (a crash between a commit and its checkpoint) are anchored then.
   */
  @EventListener(ApplicationReadyEvent.class)
  void checkAtStartUp() {
    Thread check = new Thread(this::check, "lockstep-audit-verify");
    check.setDaemon(true);
    check.start();
  }

  private void check() {
    long started = System.nanoTime();
    try {
      Verification v = verify();
      long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
      if (open.isEmpty()) {
        audit.anchorHead(false);
        log.info("Audit trail verified at start-up in {} ms: {}", took, v.describe());
      } else {
        log.error("Audit trail verified at start-up in {} ms: {}; {} break(s) not acknowledged", took,
            v.describe(), open.size());
        open.forEach(b -> log.error("Audit trail break: {}", b.problem()));
      }
    } catch (RuntimeException e) {
      log.error("Audit trail could not be verified at start-up", e);
    }
  }

  /** Verifies now and raises the alarm for every break not acknowledged before. */
  Verification verify() {
    Verification v = audit.verify();
    Set<String> acknowledged = v.ok() ? Set.of() : acknowledged();
    open = v.breaks().stream().filter(b -> !acknowledged.contains(b.key())).toList();
    return v;
  }

  /** The breaks raised and not acknowledged, by row. */
  List<ChainBreak> open() {
    return open;
  }

  /**
   * Records that {@code user} has seen the breaks raised now, as an audit event, and lowers the
   * alarm for them.
   *
   * @throws IllegalStateException when no break is raised
   */
  synchronized Verification acknowledge(String user) {
    List<ChainBreak> breaks = verify().ok() ? List.of() : open;
    if (breaks.isEmpty()) {
      throw new IllegalStateException("the audit trail has no unacknowledged break");
    }
    audit.anchorHead(breaks.stream().anyMatch(b -> ANCHOR_FILE.contains(b.kind())));
    List<String> keys = breaks.stream().limit(MAX_KEYS).map(ChainBreak::key).toList();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("breaks", keys);
    details.put("count", breaks.size());
    details.put("first", breaks.get(0).problem());
    audit.append(ACKNOWLEDGED, user, null, "Acknowledged %d break(s) of the audit trail, first: %s"
        .formatted(breaks.size(), breaks.get(0).problem()), details);
    return verify();
  }

  /** The keys of the breaks acknowledged by events the anchor file covers. */
  private Set<String> acknowledged() {
    Checkpoint anchored = audit.anchored();
    long covered = anchored == null ? 0 : anchored.seq();
    Set<String> keys = new HashSet<>();
    audit.forEach(new AuditFilter(null, null, ACKNOWLEDGED, null, null), covered, e -> {
      if (e.details().get("breaks") instanceof List<?> list) {
        list.forEach(k -> keys.add(String.valueOf(k)));
      }
    });
    return keys;
  }

  /** What the banner shows: the first few breaks and how many more. */
  record Banner(List<ChainBreak> shown, int more) {
    static final int SHOWN = 5;

    static Banner of(List<ChainBreak> open) {
      return open.isEmpty() ? null
          : new Banner(new ArrayList<>(open.subList(0, Math.min(SHOWN, open.size()))), Math.max(0, open.size() - SHOWN));
    }
  }
}
