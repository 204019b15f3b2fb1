package io.lockstep.audit;

/** The order audit queries return rows in; chain order (seq) is the order things happened. */
public enum AuditOrder {
  NEWEST_FIRST,
  OLDEST_FIRST
}
