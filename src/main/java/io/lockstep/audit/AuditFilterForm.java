package io.lockstep.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The audit filter as it arrives from a query string ({@code ?run=&actor=&type=&from=&to=&page=&order=}),
 * echoed back into the form and links. {@code from} and {@code to} take an ISO-8601 instant
 * ({@code 2026-11-25T20:00:00Z}, or with an offset), a date and time without zone read as UTC (what
 * an HTML {@code datetime-local} field sends), or a date: {@code from} a date starts at its
 * midnight, {@code to} a date ends after that day. {@code to} is exclusive.
 */
record AuditFilterForm(String run, String actor, String type, String from, String to, Integer page, String order) {

  static final AuditFilterForm EMPTY = new AuditFilterForm(null, null, null, null, null, null, null);

  /** The filter; throws IllegalArgumentException with a message a person understands. */
  AuditFilter toFilter() {
    return new AuditFilter(run, actor, type, instant("from", from, false), instant("to", to, true));
  }

  AuditOrder auditOrder() {
    return "oldest".equalsIgnoreCase(order) || "OLDEST_FIRST".equalsIgnoreCase(order)
        ? AuditOrder.OLDEST_FIRST : AuditOrder.NEWEST_FIRST;
  }

  int pageNumber() {
    return page == null || page < 0 ? 0 : page;
  }

  AuditFilterForm onPage(int number) {
    return new AuditFilterForm(run, actor, type, from, to, number, order);
  }

  static Instant instant(String name, String text, boolean endOfDay) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.trim();
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return OffsetDateTime.parse(value.endsWith("Z") ? value : value.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"))
            .toInstant();
      }
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a time; use 2026-11-25T20:00 (UTC), "
          + "2026-11-25 or an ISO-8601 instant like 2026-11-25T20:00:00Z");
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a valid time: " + e.getMessage());
    }
  }
}
