/**
 * The output of every run, one log that many readers follow: each line a run's steps print is
 * masked, numbered per run without gaps and stored ({@code run_log_line}), and only then fanned out
 * to the readers streaming that run over SSE. A reader starts with the stored tail (or everything
 * after the {@code Last-Event-ID} it already has), then follows live; a reader that drops, falls
 * behind or comes back after a console restart resumes from the database and loses nothing.
 *
 * <p>The run engine writes through {@link io.lockstep.logstream.RunLog}; pages show the log with the
 * {@code logstream/panel :: panel(runId)} fragment; scripts read {@code GET /api/runs/{runId}/log}.
 */
package io.lockstep.logstream;
