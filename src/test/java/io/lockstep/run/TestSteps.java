package io.lockstep.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Executors of test-only types that let an engine test steer steps: {@code test.echo} writes its
 * text, {@code test.gate} waits until the test opens the gate (or fails while it is set to fail),
 * counting how often it started. They go through the same SPI as the real executors.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSteps {

  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();
  static final Map<String, String> FAILURES = new ConcurrentHashMap<>();
  /** Gates that, once opened, throw an unexpected exception with this message (a library's error, not a StepFailedException). */
  static final Map<String, String> CRASHES = new ConcurrentHashMap<>();
  /** Gates whose waiting step was interrupted (an abort or a timeout stopped it). */
  static final java.util.Set<String> INTERRUPTED = ConcurrentHashMap.newKeySet();
  /** Things a test declared down: {@code test.check} fails naming them until {@code test.fix} fixes them. */
  static final java.util.Set<String> DOWN = ConcurrentHashMap.newKeySet();
  /** Every notification the engine published (what the webhook and the badge hear). */
  static final List<Object> NOTIFICATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

  static void open(String gate) {
    gate(gate).countDown();
  }

  static CountDownLatch gate(String name) {
    return GATES.computeIfAbsent(name, n -> new CountDownLatch(1));
  }

  static int starts(String name) {
    return STARTS.computeIfAbsent(name, n -> new AtomicInteger()).get();
  }

  static void reset() {
    GATES.clear();
    STARTS.clear();
    FAILURES.clear();
    CRASHES.clear();
    INTERRUPTED.clear();
    DOWN.clear();
  }

  @Bean
  NotificationRecorder notificationRecorder() {
    return new NotificationRecorder();
  }

  static final class NotificationRecorder {
    @org.springframework.context.event.EventListener
    void on(RunNotifications.ApprovalWaiting event) {
      NOTIFICATIONS.add(event);
    }

    @org.springframework.context.event.EventListener
    void on(RunNotifications.RunStopped event) {
      NOTIFICATIONS.add(event);
    }
  }

  @Bean
  StepExecutor echo() {
    return new StepExecutor() {
      @Override
      public String type() {
        return "test.echo";
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        String text = String.valueOf(params.get("text"));
        if (text.contains("unpreviewable")) {
          // what a real executor does with a value it cannot act on: its preview names the problem
          throw new IllegalArgumentException("text: '" + text + "' cannot be said");
        }
        return StepPreview.plain("echo " + text);
      }

      @Override
      public String execute(StepContext context) {
        context.action("node-1", "echo " + context.params().get("text"));
        context.out("node-1", String.valueOf(context.params().get("text")));
        context.exitStatus("node-1", 0);
        context.undo().recordOnce("echo/" + context.step(), "was quiet");
        String text = String.valueOf(context.params().get("text"));
        if (text.startsWith("keyed ")) { // issue 14: a summary said as a line, a secret in its argument
          return context.said(StepPreview.Line.of("summary.ssh.exec.many", "{0} nodes: exit {1}", text, 0));
        }
        return "said it";
      }
    };
  }

  @Bean
  StepExecutor noop() {
    return new StepExecutor() {
      @Override
      public String type() {
        return "test.noop";
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        return StepPreview.plain("nothing");
      }

      @Override
      public String execute(StepContext context) {
        return "nothing done";
      }
    };
  }

  /** {@code test.check}: read-only; fails while the thing it names is down. */
  @Bean
  StepExecutor checkStep() {
    return new StepExecutor() {
      @Override
      public String type() {
        return "test.check";
      }

      @Override
      public boolean readOnly() {
        return true;
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        return StepPreview.plain("look at " + params.get("name"));
      }

      @Override
      public String execute(StepContext context) {
        String name = String.valueOf(context.params().get("name"));
        if (DOWN.contains(name)) {
          throw new StepFailedException(name + " is down");
        }
        return name + " is up";
      }
    };
  }

  /** {@code test.fix}: brings the thing it names back, or fails as the test set it to. */
  @Bean
  StepExecutor fixStep() {
    return new StepExecutor() {
      @Override
      public String type() {
        return "test.fix";
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        return StepPreview.plain("bring " + params.get("name") + " back");
      }

      @Override
      public String execute(StepContext context) {
        String name = String.valueOf(context.params().get("name"));
        context.action("node-1", "start " + name);
        String failure = FAILURES.get("fix-" + name);
        if (failure != null) {
          context.exitStatus("node-1", 1);
          throw new StepFailedException(failure);
        }
        context.exitStatus("node-1", 0);
        DOWN.remove(name);
        return name + " started";
      }
    };
  }

  @Bean
  StepExecutor gateStep() {
    return new StepExecutor() {
      @Override
      public String type() {
        return "test.gate";
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        return StepPreview.plain("wait for gate " + params.get("name"));
      }

      @Override
      public String execute(StepContext context) throws InterruptedException {
        String name = String.valueOf(context.params().get("name"));
        STARTS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        context.action(null, "wait for gate " + name);
        context.info("waiting at gate " + name);
        try {
          gate(name).await();
        } catch (InterruptedException e) {
          INTERRUPTED.add(name);
          throw e;
        }
        String failure = FAILURES.get(name);
        if (failure != null) {
          throw new StepFailedException(failure);
        }
        String crash = CRASHES.get(name);
        if (crash != null) {
          throw new IllegalStateException(crash, new java.io.IOException("caused by: " + crash));
        }
        return "gate " + name + " passed";
      }

      @Override
      public Duration defaultTimeout() {
        return Duration.ofMinutes(5);
      }
    };
  }
}
