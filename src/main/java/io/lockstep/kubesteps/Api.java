package io.lockstep.kubesteps;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.io.InterruptedIOException;
import java.util.function.Supplier;

/**
 * Calls to the Kubernetes API from a step: a refusal or an unreachable server becomes a
 * {@link StepFailedException} saying what the step was doing, and an interrupt (fabric8 reports it
 * as a client exception) becomes an {@link InterruptedException} again, so the step ends as the
 * engine asked.
 */
final class Api {

  private Api() {}

  /**
   * Runs {@code call}.
   *
   * @param doing what the call does, for the message: {@code read node node-1}
   */
  static <T> T call(String doing, Supplier<T> call) throws InterruptedException {
    try {
      T result = call.get();
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while trying to " + doing);
      }
      return result;
    } catch (KubernetesClientException e) {
      rethrowInterrupt(doing, e);
      throw new StepFailedException("cannot " + doing + ": " + reason(e), e);
    }
  }

  /** An interrupt fabric8 reported as a client exception becomes an {@link InterruptedException} again. */
  private static void rethrowInterrupt(String doing, KubernetesClientException e) throws InterruptedException {
    if (Thread.interrupted() || interrupt(e)) {
      InterruptedException interrupted = new InterruptedException("interrupted while trying to " + doing);
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  /**
   * As {@link #call}, but while the API server is away (no answer, or 5xx: a cluster whose control
   * plane is still starting after a whole-cluster restart) keeps trying every {@code every} until
   * it answers or the step is ended, saying in the log that it waits and why. A 4xx answer is
   * final.
   */
  static <T> T callOnceUp(StepContext context, String doing, Duration every, Supplier<T> call)
      throws InterruptedException {
    long said = 0;
    while (true) {
      try {
        T result = call.get();
        if (said != 0) {
          context.info("the Kubernetes API answers again");
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while trying to " + doing);
        }
        return result;
      } catch (KubernetesClientException e) {
        rethrowInterrupt(doing, e);
        if (e.getCode() >= 400 && e.getCode() < 500) {
          throw new StepFailedException("cannot " + doing + ": " + reason(e), e);
        }
        if (said == 0 || System.nanoTime() - said > Watching.PROGRESS_EVERY.toNanos()) {
          context.info("the Kubernetes API does not answer (" + reason(e) + "): waiting for it to " + doing);
          said = System.nanoTime();
        }
        Thread.sleep(every.toMillis());
      }
    }
  }

  /** As {@link #call}, for a preview, which cannot be interrupted: failures are not the params' fault. */
  static <T> T read(String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw new StepFailedException("cannot " + doing + ": " + reason(e), e);
    }
  }

  /** The API server's own message and code, or the client's when the server gave none. */
  static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
    }
    Throwable cause = e.getCause();
    return e.getMessage() + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
  }

  private static boolean interrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }
}
