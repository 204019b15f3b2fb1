package io.lockstep.datacopy;

import java.util.Locale;

/** What a {@code copy.rsync} step does with the rows that move (param {@code mode}). */
enum Mode {

  /** The online full pre-copy (P1 phase 5): into empty targets, bandwidth-limited if asked. */
  PRE,

  /** The downtime delta copy (P1 phase 11): {@code --delete}, then verified by checksum. */
  FINAL,

  /** Changes nothing: how many bytes the final copy would move now ({@code --dry-run --stats}). */
  MEASURE;

  /** As the param and the figure names write it: {@code pre}, {@code final}, {@code measure}. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Mode of(Object value) {
    for (Mode mode : values()) {
      if (mode.id().equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(value == null
        ? "param 'mode' is missing: pre, final or measure"
        : "param 'mode' must be pre, final or measure, not '" + value + "'");
  }
}
