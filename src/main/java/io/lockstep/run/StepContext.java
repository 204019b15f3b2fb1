package io.lockstep.run;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine gives an executor for one attempt at one step. Safe to use from several threads
 * at once (an executor running a command on six nodes in parallel logs from six threads).
 *
 * <p>Everything written here is masked for known secrets before it is stored, streamed or audited;
 * executors should still not write secret values in the first place.
 */
public interface StepContext {

  /** The run, e.g. {@code r-20261125-0007}. */
  String runId();

  /** The step as {@code phase.step}, e.g. {@code stop-app.scale-down}. */
  String step();

  /** The step's params with every reference resolved. */
  Map<String, Object> params();

  /** How long this attempt may take: the step's {@code timeout} or the executor's default. */
  Duration timeout();

  /** A line of output from {@code node} (null: not from a node), stored and streamed at once. */
  void out(String node, String line);

  /** A line of error output from {@code node} (null: not from a node). */
  void err(String node, String line);

  /**
   * The step's summary as a line ({@code scaled {0} workloads to 0}, its code in {@code
   * messages-run}), so that the run page and the PDF show it in the reader's language; returns its
   * English, which {@link StepExecutor#execute} returns ({@code return context.said(line);}).
   * The engine keeps the line when the summary the executor returns is its English (a summary
   * returned without a line is kept as it is, in every language); every argument is masked for the
   * run's secrets before it is stored. The last line said wins.
   */
  default String said(StepPreview.Line summary) {
    return summary.english();
  }

  /** What the executor is doing, in its own words ({@code scaled Deployment anyshare/web to 0}). */
  void info(String text);

  /**
   * Declares the command or API action about to be carried out, before it starts: the engine
   * records it so that after a crash the operator sees what was under way, and audits it. Call it
   * once per action (per node for a command on several nodes).
   */
  void action(String node, String description);

  /** Records a node's exit status, for the run page and the audit trail. */
  void exitStatus(String node, int status);

  /**
   * Reports how far one part of the step has got (a copy's bytes for one data directory). Shown
   * live on the run page; not written to the log. The latest report of each part wins; reports may
   * come as often as once a second per part.
   */
  void progress(StepProgress progress);

  /**
   * Records a figure the step measured, kept with the run (a copy's bytes and milliseconds per row,
   * the bytes changed since the pre-copy). The run page's maintenance-window forecast is computed
   * from them. A later figure of the same name replaces the earlier one.
   */
  void figure(String name, long value);

  /** Every figure the run's steps recorded so far, by name (a measure step reads the pre-copy's rate). */
  Map<String, Long> figures();

  /** The run's undo records: what steps changed, stored before they changed it. */
  UndoRecords undo();

  /**
   * Undo records of one run: the value of something a step is about to change, kept in the
   * database before the change, so it can be put back (replica counts, a node's schedulability,
   * whole Secrets). Keys are the executor's own ({@code replicas/anyshare/Deployment/web}).
   */
  interface UndoRecords {

    /**
     * Stores {@code value} under {@code key} unless the run already holds a standing record for it,
     * and audits it; a rerun therefore never replaces the original with what the first attempt
     * made. A record that was settled (the original put back) is replaced: what is there now is
     * the original again.
     *
     * @return true when stored now, false when a standing record was there already (it is kept)
     */
    boolean recordOnce(String key, String value);

    /**
     * {@link #recordOnce} for a value that holds secrets (a whole Secret before a rewrite): kept in
     * the database so a restore can put it back, but never logged, audited, shown or exported —
     * only its key and that it exists are.
     */
    boolean recordSecretOnce(String key, String value);

    /** The standing (not settled) recorded value, if any. */
    Optional<String> get(String key);

    /**
     * The recorded value, settled or not. A step that puts originals back reads this, so that
     * running it again after it had finished (the console stopped before its end was stored)
     * still knows what the original was instead of finding no record.
     */
    Optional<String> recorded(String key);

    /** Every record whose key starts with {@code prefix}, by key. */
    Map<String, String> all(String prefix);

    /** Marks a record as used up (the original was put back); it stays visible in the history. */
    void settle(String key);
  }
}
