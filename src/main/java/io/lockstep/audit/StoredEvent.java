package io.lockstep.audit;

import java.time.Instant;

/**
 * A row of {@code audit_event} exactly as stored, details still as their canonical JSON text: what
 * the chain hashes and verify re-reads.
 */
record StoredEvent(
    long seq,
    Instant occurredAt,
    String actor,
    String type,
    String runId,
    String summary,
    String details,
    String prevHash,
    String hash) {}
