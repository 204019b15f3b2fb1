package io.lockstep.kubesteps;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Waits by watch until conditions on sets of objects all hold at once. Each condition gets a
 * fabric8 informer: it lists the objects, then watches from that list's resource version, so no
 * change between list and watch is missed; when the server closes the watch it watches again
 * (listing anew if the version has expired). The conditions are tested once every informer has
 * its first list, and again after every change any of them sees, so a wait whose conditions
 * already hold returns at once.
 *
 * <p>The waiting thread blocks on a future, interruptibly; every informer is stopped when the wait
 * ends, however it ends. While it waits, what is still missing is written to the run's log every
 * {@link #PROGRESS_EVERY} when it has changed (conditions are tested on fabric8's threads, which
 * must not write to the log themselves).
 */
final class Watching {

  static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private static final String NOT_LISTED = "not listed yet";

  private Watching() {}

  /**
   * A condition over the objects one informer sees.
   *
   * @param source the objects to watch ({@code client.pods().inNamespace("a").withLabel(…)})
   * @param missing what keeps the condition from holding, in words ({@code 2 pods left: a, b}),
   *     null once it holds; called for every change, so it must be quick
   */
  record Condition<T>(Informable<T> source, Function<List<T>, String> missing) {}

  /**
   * Waits until every condition holds.
   *
   * @param what what the step waits for, for the log: {@code pods of Deployment anyshare/web to be gone}
   * @throws InterruptedException the engine ended the step (abort or timeout); the watches are closed
   * @throws StepFailedException a watch could not be started or failed for good
   */
  static void until(StepContext context, String what, List<Condition<?>> conditions) throws InterruptedException {
    Wait wait = new Wait(conditions.size());
    try {
      conditions.forEach(wait::add);
      wait.start();
      wait.await(context);
    } catch (InterruptedException e) {
      context.info("stopped waiting for " + what + " (" + wait.missing() + ")");
      throw e;
    } catch (ExecutionException e) {
      throw failed(what, e.getCause());
    } catch (KubernetesClientException e) {
      throw failed(what, e);
    } finally {
      wait.stop();
    }
  }

  private static StepFailedException failed(String what, Throwable cause) {
    String reason = cause instanceof KubernetesClientException k ? Api.reason(k) : String.valueOf(cause);
    return new StepFailedException("cannot watch for " + what + ": " + reason, cause);
  }

  /** The informers of one wait and the future they complete. */
  private static final class Wait {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<Supplier<String>> tests = new ArrayList<>();
    private final String[] missing;

    Wait(int size) {
      missing = new String[size];
      Arrays.fill(missing, NOT_LISTED);
    }

    /** Prepares an informer for {@code condition}; none runs before {@link #start()}. */
    <T> void add(Condition<T> condition) {
      SharedIndexInformer<T> informer = condition.source().runnableInformer(0);
      informers.add(informer);
      tests.add(() -> informer.hasSynced() ? condition.missing().apply(informer.getStore().list()) : NOT_LISTED);
      informer.addEventHandler(new ResourceEventHandler<T>() {
        @Override
        public void onAdd(T obj) {
          test();
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
          test();
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
          test();
        }

        @Override
        public void onNothing() {
          test();
        }
      });
    }

    /** Starts every informer: each lists, then watches; the conditions are tested as they go. */
    void start() {
      for (SharedIndexInformer<?> informer : informers) {
        informer.start().whenComplete((started, failure) -> {
          if (failure != null) {
            done.completeExceptionally(unwrapped(failure));
          } else {
            test();
          }
        });
        informer.stopped().whenComplete((stopped, failure) -> {
          if (failure != null) {
            done.completeExceptionally(unwrapped(failure));
          }
        });
      }
    }

    /** Tests every condition on what its informer holds; completes the wait when all hold. */
    private synchronized void test() {
      boolean all = true;
      for (int i = 0; i < tests.size(); i++) {
        try {
          missing[i] = tests.get(i).get();
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
          return;
        }
        all &= missing[i] == null;
      }
      if (all) {
        done.complete(null);
      }
    }

    void await(StepContext context) throws InterruptedException, ExecutionException {
      String shown = null;
      while (true) {
        try {
          done.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          String now = missing();
          if (!now.equals(shown)) {
            context.info("still waiting: " + now);
            shown = now;
          }
        }
      }
    }

    synchronized String missing() {
      return Arrays.stream(missing).filter(Objects::nonNull).collect(Collectors.joining("; "));
    }

    void stop() {
      done.cancel(false);
      informers.forEach(SharedIndexInformer::stop);
    }

    private static Throwable unwrapped(Throwable failure) {
      return failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    }
  }
}
