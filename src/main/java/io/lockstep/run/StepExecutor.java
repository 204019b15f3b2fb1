package io.lockstep.run;

import java.time.Duration;
import java.util.Map;

/**
 * The SPI through which the engine carries out steps: one implementation per executor type of
 * {@code config/procedures/README.md} ({@code ssh.exec}, {@code k8s.scale}, {@code wait.pods-gone}…).
 * Implementations are Spring beans in their own modules; the engine finds them by {@link #type()}
 * and publishes their types, so a procedure naming a type nobody implements fails when it loads.
 *
 * <p>The engine resolves the step's {@code ${…}} references before it calls either method, so
 * {@code params} hold plain values (text, Long/Integer, Boolean, lists, maps).
 */
public interface StepExecutor {

  /** The executor type this bean implements, e.g. {@code ssh.exec}. */
  String type();

  /**
   * Checks the step's resolved params and says, one line each, exactly what {@link #execute} would
   * do: the commands and on which nodes, the Kubernetes objects it changes and how. Shown to the
   * approver before the phase is approved. Must not change anything; may read the cluster.
   *
   * @throws IllegalArgumentException a param is missing, unknown or has a value this executor
   *     cannot use; the message names the param and says what is wrong
   */
  StepPreview preview(Map<String, Object> params);

  /**
   * Carries the step out. Returns normally when it succeeded; a failure is an exception whose
   * message a person understands ({@link StepFailedException} for an expected failure: a non-zero
   * exit status, a workload without a record).
   *
   * <p>The engine runs this on a thread of its own and interrupts it when the run is aborted or
   * the step's timeout passes: an executor waits interruptibly (watches with latches, SSH commands
   * through {@code NodeShell}, which stops the command when interrupted) and lets the interrupt end
   * it. Everything a person would want to see goes into the run's log through {@code context}.
   *
   * @return what the step did, in English (logs, webhooks, the API's {@code summary}); say it as a
   *     line and return that, {@code return context.said(line);}, so that the run page and the PDF
   *     show it in the reader's language (a summary returned as plain text reads as itself in every
   *     language)
   */
  String execute(StepContext context) throws Exception;

  /**
   * Whether this executor only reads — the platform, the run's undo records — and changes nothing
   * anywhere: then a procedure may use it as a recovery action's check, which runs whenever
   * someone looks (and gets a context that refuses every change).
   */
  default boolean readOnly() {
    return false;
  }

  /** How long a step of this type may take when the procedure gives no {@code timeout}. */
  default Duration defaultTimeout() {
    return Duration.ofMinutes(10);
  }
}
