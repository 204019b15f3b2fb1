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
        return StepPreview.of("echo " + params.get("text"));
      }

      @Override
      public String execute(StepContext context) {
        context.action("node-1", "echo " + context.params().get("text"));
        context.out("node-1", String.valueOf(context.params().get("text")));
        context.exitStatus("node-1", 0);
        context.undo().recordOnce("echo/" + context.step(), "was quiet");
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
        return StepPreview.of("nothing");
      }

      @Override
      public String execute(StepContext context) {
        return "nothing done";
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
        return StepPreview.of(List.of("wait for gate " + params.get("name")));
      }

      @Override
      public String execute(StepContext context) throws InterruptedException {
        String name = String.valueOf(context.params().get("name"));
        STARTS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        context.action(null, "wait for gate " + name);
        context.info("waiting at gate " + name);
        gate(name).await();
        String failure = FAILURES.get(name);
        if (failure != null) {
          throw new StepFailedException(failure);
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
