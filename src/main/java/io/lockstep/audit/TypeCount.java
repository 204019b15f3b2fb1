package io.lockstep.audit;

import java.time.Instant;

/** How many rows of one type a report covers, and when the first and last occurred. */
record TypeCount(String type, long count, Instant first, Instant last) {

  public String firstUtc() {
    return AuditEntry.utc(first);
  }

  public String lastUtc() {
    return AuditEntry.utc(last);
  }
}
