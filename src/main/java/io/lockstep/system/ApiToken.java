package io.lockstep.system;

import java.time.Instant;

/**
 * A personal API token as its owner sees it: never the token itself, which is shown once at
 * creation and stored only as a hash.
 *
 * @param id the token's number, used to revoke it
 * @param owner the user the token acts as
 * @param label what the owner calls it ("nightly export")
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request; null if never
 * @param expiresAt when it stops working; null for never
 * @param revokedAt when its owner revoked it; null while not revoked
 */
record ApiToken(long id, String owner, String label, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
    Instant revokedAt) {

  /** Whether a token authenticates requests, and if not, why. */
  public enum Status { ACTIVE, EXPIRED, REVOKED }

  /** Public so the page template can call it. */
  public Status status(Instant now) {
    if (revokedAt != null) {
      return Status.REVOKED;
    }
    return expiresAt != null && !now.isBefore(expiresAt) ? Status.EXPIRED : Status.ACTIVE;
  }
}
