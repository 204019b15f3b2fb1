package io.lockstep.sshsteps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task per node at once, at most {@code parallelism} at a time, and waits for all of
 * them. When the waiting thread is interrupted (the engine aborts the step or its time is up),
 * every task is cancelled with an interrupt, which stops its command, and the interrupt
 * propagates once they have ended (or {@link #STOP_WAIT} has passed): no task of the step writes
 * to the run's log after the step has ended. Public for other executors that work on several nodes
 * at once ({@code copy.rsync}'s node pairs).
 */
public final class NodePool {

  static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger threads = new AtomicInteger();

  private NodePool() {}

  /** The tasks' results in the order of the tasks. */
  static <T> List<T> runAll(List<Callable<T>> tasks, int parallelism) throws InterruptedException {
    return runAll(tasks, parallelism, "ssh-exec");
  }

  /**
   * The tasks' results in the order of the tasks, run on threads named {@code threadName-N}.
   *
   * @throws InterruptedException the caller was interrupted (every task was stopped) or a task was
   */
  public static <T> List<T> runAll(List<Callable<T>> tasks, int parallelism, String threadName)
      throws InterruptedException {
    if (tasks.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(tasks.size(), parallelism), r -> {
      Thread thread = new Thread(r, threadName + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    List<Future<T>> futures = new ArrayList<>();
    try {
      tasks.forEach(task -> futures.add(pool.submit(task)));
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      stop(pool, futures);
      throw e;
    } catch (ExecutionException e) {
      stop(pool, futures);
      throw rethrown(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> void stop(ExecutorService pool, List<Future<T>> futures) {
    futures.forEach(future -> future.cancel(true));
    pool.shutdownNow();
    boolean interrupted = Thread.interrupted();
    try {
      pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A task's failure as the caller's: interrupts and unchecked exceptions as they are. */
  private static InterruptedException rethrown(Throwable cause) {
    if (cause instanceof InterruptedException interrupted) {
      return interrupted;
    }
    if (cause instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(cause.getMessage(), cause);
  }
}
