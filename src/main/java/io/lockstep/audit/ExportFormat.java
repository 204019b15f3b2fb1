package io.lockstep.audit;

import java.util.Locale;

/** The formats the audit trail exports to. */
enum ExportFormat {
  CSV("text/csv;charset=UTF-8"),
  JSON("application/json"),
  PDF("application/pdf");

  private final String contentType;

  ExportFormat(String contentType) {
    this.contentType = contentType;
  }

  String contentType() {
    return contentType;
  }

  String extension() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named by a path suffix ({@code csv}, {@code json}, {@code pdf}). */
  static ExportFormat of(String extension) {
    for (ExportFormat format : values()) {
      if (format.extension().equalsIgnoreCase(extension)) {
        return format;
      }
    }
    throw new IllegalArgumentException("'" + extension + "' is not an export format (csv, json or pdf)");
  }
}
