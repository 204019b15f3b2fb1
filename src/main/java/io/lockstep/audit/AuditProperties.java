package io.lockstep.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the audit trail is shown and exported.
 *
 * @param pageSize rows per page on the audit page and the default for {@code GET /api/audit}
 * @param maxPageSize the largest {@code size} {@code GET /api/audit} accepts
 * @param pdfMaxRows the most events a PDF export renders; larger selections are refused with a
 *     hint to narrow the filter or export CSV or JSON, which stream any number of rows (a PDF is
 *     laid out in memory: 10,000 events make about 200 pages)
 */
@Validated
@ConfigurationProperties("lockstep.audit")
record AuditProperties(
    @DefaultValue("50") @Positive @Max(1000) int pageSize,
    @DefaultValue("500") @Positive @Max(10000) int maxPageSize,
    @DefaultValue("50000") @Positive int pdfMaxRows) {}
