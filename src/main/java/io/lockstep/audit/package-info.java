/**
 * The audit trail: evidence an auditor accepts of who did what, when, to which run.
 *
 * <p>Every row of {@code audit_event} is appended once and never changed: the console holds no
 * SQL that updates or deletes one. Each row carries the SHA-256 hash of its content and of the row
 * before it ({@link io.lockstep.audit.AuditChain} gives the exact encoding), so changing, removing
 * or reordering rows behind the console's back breaks the chain. After each commit the chain's
 * head is also appended to a signed anchor file outside the database ({@link
 * io.lockstep.audit.AuditAnchor}, ADR 6), so rows cut off the end are found even with the head
 * rewritten. {@link io.lockstep.audit.AuditLog#verify()} names every row that no longer holds; the
 * console verifies at start-up and shows a broken chain on every page until an approver
 * acknowledges it ({@link io.lockstep.audit.ChainAlarm}). Appends are
 * serialized through a lock on the one-row {@code audit_head} table, so the chain never forks, on
 * H2 or PostgreSQL, from any number of threads or console instances.
 *
 * <p>What lands here: every {@link io.lockstep.system.Auditable} event other modules publish (in
 * the publisher's transaction, just before it commits), interactive logins, failed logins of every
 * kind and logouts, and every export of the trail. Summaries and details are masked in the scope
 * of the event's run ({@link io.lockstep.system.SecretMasker#forRun}) before they are hashed and
 * stored.
 *
 * <p>Shown at {@code /audit} (filters, paging, verify) and exported as CSV, JSON and PDF (a report
 * with the verification result, a summary by type and the events table, Chinese set in the shipped
 * Noto Sans SC), under {@code /audit/export.*}, {@code /api/audit} and {@code /api/runs/{id}/audit.*}.
 * Nothing depends on this module; it listens.
 */
package io.lockstep.audit;
