package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor running on a thread of its own, as the engine runs it, so a test can change the
 * cluster while it waits and interrupt it as the engine does on abort or timeout.
 */
final class Background implements AutoCloseable {

  /** How long a test lets a finished wait take to notice (generous: the point is that it ends). */
  static final Duration PROMPTLY = Duration.ofSeconds(5);

  private final CompletableFuture<String> result = new CompletableFuture<>();
  private final Thread thread;

  private Background(StepExecutor executor, StepContext context) {
    thread = new Thread(() -> {
      try {
        result.complete(executor.execute(context));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "step-" + executor.type());
    thread.setDaemon(true);
    thread.start();
  }

  static Background execute(StepExecutor executor, StepContext context) {
    return new Background(executor, context);
  }

  boolean isDone() {
    return result.isDone();
  }

  /** Checks that the step is still running {@code during} from now: it waits, as it should. */
  Background keepsWaiting(Duration during) {
    await().during(during).atMost(during.plusSeconds(2)).until(() -> !result.isDone());
    return this;
  }

  /** What the step returned, once it has ended (promptly). */
  String result() throws Exception {
    try {
      return result.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** How the step failed, once it has ended (promptly). */
  Throwable failure() {
    await().atMost(PROMPTLY).until(result::isDone);
    assertThat(result).isCompletedExceptionally();
    return result.handle((r, t) -> t instanceof CompletionException c ? c.getCause() : t).join();
  }

  /** Interrupts the step's thread, as the engine does, and checks the thread ends promptly. */
  Throwable interrupt() throws InterruptedException {
    thread.interrupt();
    thread.join(PROMPTLY.toMillis());
    assertThat(thread.isAlive()).as("the step's thread ended after the interrupt").isFalse();
    return failure();
  }

  /** Ends the step if a failed test left it running. */
  @Override
  public void close() {
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(PROMPTLY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
