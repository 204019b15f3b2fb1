package io.lockstep.audit;

/**
 * A section of the PDF report between the cover and the events table: a Thymeleaf fragment and
 * the data it renders, which the fragment reads as {@code data}.
 *
 * @param template the template holding the fragment, e.g. {@code audit/report}
 * @param fragment the fragment's name, e.g. {@code type-summary}
 * @param data what the fragment shows
 */
record ReportSection(String template, String fragment, Object data) {}
