package io.lockstep.logstream;

/**
 * Whether a run id names a run, for the log's readers: the stream and the download of a run nobody
 * ever requested answer 404 rather than an empty log that never ends. Implemented outside this
 * module (which the run module writes to, so it cannot ask it directly).
 */
public interface KnownRuns {

  boolean exists(String runId);
}
