package io.lockstep.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * Instants for templates, as {@code ${@times.iso(at)}} and {@code ${@times.utc(at)}}: a page writes
 * {@code <time datetime="iso">utc</time>} (or {@code th:replace="~{time :: utc(${at})}"}) and
 * {@code localtime.js} shows it in the browser's time zone with the UTC text on hover. Exports and
 * the PDF keep the UTC text, which says so.
 */
@Component("times")
public class Times {

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  /** {@code 2026-11-28T22:01:05Z} for the {@code datetime} attribute; empty for null. */
  public String iso(Instant at) {
    return at == null ? "" : at.toString();
  }

  /** {@code 2026-11-28 22:01:05Z}, the text before the script (and without it); empty for null. */
  public String utc(Instant at) {
    return at == null ? "" : UTC.format(at);
  }
}
