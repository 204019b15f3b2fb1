package io.lockstep.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the audit trail is shown, exported and anchored.
 *
 * @param pageSize rows per page on the audit page and the default for {@code GET /api/audit}
 * @param maxPageSize the largest {@code size} {@code GET /api/audit} accepts
 * @param pdfMaxRows the most events a PDF export renders; larger selections are refused with a
 *     hint to narrow the filter or export CSV or JSON, which stream any number of rows (a PDF is
 *     laid out in memory: 10,000 events make about 200 pages)
 * @param anchorFile the append-only file of signed checkpoints of the chain head, outside the
 *     database (see {@link AuditAnchor}). Unset: beside an H2 file database ({@code
 *     ./data/lockstep.audit-anchor} for the shipped URL), {@code ./data/audit-anchor} for any other
 *     database, and a fresh temporary file for an in-memory H2 (which forgets its rows on exit too)
 * @param anchorKeyFile the HMAC-SHA256 key that signs the checkpoints, base64 in a file readable
 *     by the console's user only; created with 32 random bytes and owner-only permissions when
 *     missing. Keep it where whoever can write the database cannot read it
 * @param anchorKey the same key given directly (base64, at least 32 bytes), e.g. from the
 *     environment variable {@code LOCKSTEP_AUDIT_ANCHOR_KEY}; takes precedence over the file
 */
@Validated
@ConfigurationProperties("lockstep.audit")
record AuditProperties(
    @DefaultValue("50") @Positive @Max(1000) int pageSize,
    @DefaultValue("500") @Positive @Max(10000) int maxPageSize,
    @DefaultValue("50000") @Positive int pdfMaxRows,
    Path anchorFile,
    @DefaultValue("./data/audit-anchor.key") Path anchorKeyFile,
    String anchorKey) {

  @Override
  public String toString() {
    return "AuditProperties[pageSize=%d, maxPageSize=%d, pdfMaxRows=%d, anchorFile=%s, anchorKeyFile=%s, anchorKey=%s]"
        .formatted(pageSize, maxPageSize, pdfMaxRows, anchorFile, anchorKeyFile, anchorKey == null ? null : "(set)");
  }
}
