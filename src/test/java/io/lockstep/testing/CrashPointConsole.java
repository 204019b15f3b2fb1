package io.lockstep.testing;

import io.lockstep.LockstepApplication;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The console with crash points, for {@link ConsoleProcess}: {@link LockstepApplication} plus one
 * bean post-processor that wraps every {@link StepExecutor} so that the step named by a setting
 * holds at a chosen point until the test kills the process there.
 *
 * <ul>
 *   <li>{@code lockstep.test.hold-before=phase.step[,…]}: the step holds before its executor runs
 *       (the engine has stored it as started; nothing is done yet);</li>
 *   <li>{@code lockstep.test.hold-after=phase.step[,…]}: it holds after its executor returned
 *       normally (the effect is done; the engine has not stored the step's end). An executor that
 *       fails does not hold.</li>
 *   <li>{@code lockstep.test.hold-after-commit=AUDIT_TYPE[,…]}: the thread that published an
 *       audited event of that type holds once its transaction has committed, before anything
 *       after the commit runs (a request's answer among it): what a kill between a commit and
 *       the answer leaves, e.g. a plan edit stored whose caller never heard so
 *       ({@code PHASE_SWITCHED_ON}). The marker is {@code LOCKSTEP-HOLD <type> committed}.</li>
 * </ul>
 *
 * <p>Marker protocol: on reaching a crash point the console prints one line {@code LOCKSTEP-HOLD
 * <phase.step> before|after} to stdout and flushes it, then blocks that step's thread forever,
 * interrupts included (a crash point does not give way to the step's timeout or an abort: the
 * console is to die there, not fail the step). {@link ConsoleProcess#awaitMarker} waits for the
 * line; the test then calls {@link ConsoleProcess#kill}. At start it prints {@code
 * LOCKSTEP-CRASH-POINTS before=[…] after=[…]}.
 *
 * <p>The wrapper is otherwise the executor: it delegates {@link StepExecutor#type()}, {@link
 * StepExecutor#preview}, {@link StepExecutor#execute}, {@link StepExecutor#defaultTimeout()} and
 * {@link StepExecutor#readOnly()}
 * (and {@code toString}), so a console with crash points set for other steps behaves exactly like
 * the product; with no crash point set nothing is wrapped at all, and the manual checkpoint never
 * is (the engine knows it by its class and never executes it). {@link TestConfiguration} keeps
 * the configuration out of component scanning: it is added only by this main.
 */
public final class CrashPointConsole {

  public static final String HOLD_BEFORE = "lockstep.test.hold-before";
  public static final String HOLD_AFTER = "lockstep.test.hold-after";
  /** The type of the manual checkpoint, which has no execution to hold in. */
  static final String MANUAL = "manual";
  public static final String HOLD_AFTER_COMMIT = "lockstep.test.hold-after-commit";
  /** The start of the line printed at a crash point. */
  public static final String HOLD_MARKER = ConsoleProcess.MARKER_PREFIX + "HOLD";

  private CrashPointConsole() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(LockstepApplication.class, CrashPoints.class).run(args);
  }

  /** The marker line of a crash point: {@code LOCKSTEP-HOLD rewrite-secrets.rewrite after}. */
  public static String marker(String step, String when) {
    return HOLD_MARKER + " " + step + " " + when;
  }

  /** The settings that put a crash point after {@code step}, for {@link ConsoleProcess#restart(Map)}. */
  public static Map<String, String> holdAfter(String step) {
    return Map.of(HOLD_AFTER, step);
  }

  public static Map<String, String> holdBefore(String step) {
    return Map.of(HOLD_BEFORE, step);
  }

  /** The settings that hold after the commit of an event of {@code auditType}; its marker is {@link #marker(String, String) marker(type, "committed")}. */
  public static Map<String, String> holdAfterCommit(String auditType) {
    return Map.of(HOLD_AFTER_COMMIT, auditType);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class CrashPoints {

    @Bean
    static BeanPostProcessor crashPoints(Environment environment) {
      Set<String> before = steps(environment.getProperty(HOLD_BEFORE));
      Set<String> after = steps(environment.getProperty(HOLD_AFTER));
      System.out.println(ConsoleProcess.MARKER_PREFIX + "CRASH-POINTS before=" + before + " after=" + after);
      System.out.flush();
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          // a manual step is not wrapped: the engine keeps it itself (it never executes it) and
          // knows it by its class, so a wrapped one failed as soon as a run reached it
          if (bean instanceof StepExecutor executor && !(before.isEmpty() && after.isEmpty())
              && !executor.type().equals(MANUAL)) {
            return new Holding(executor, before, after);
          }
          return bean;
        }
      };
    }

    @Bean
    static CommitPoints commitPoints(Environment environment) {
      return new CommitPoints(steps(environment.getProperty(HOLD_AFTER_COMMIT)));
    }

    private static Set<String> steps(String setting) {
      return setting == null ? Set.of() : Arrays.stream(setting.split(",")).map(String::strip)
          .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
  }

  /** Holds the publishing thread after the commit of an audited event of the types set. */
  static final class CommitPoints {

    private final Set<String> types;

    CommitPoints(Set<String> types) {
      this.types = types;
      System.out.println(ConsoleProcess.MARKER_PREFIX + "COMMIT-POINTS " + types);
      System.out.flush();
    }

    // first among the after-commit listeners: nothing that follows the commit has run when it holds
    @org.springframework.core.annotation.Order(Integer.MIN_VALUE)
    @org.springframework.transaction.event.TransactionalEventListener(
        phase = org.springframework.transaction.event.TransactionPhase.AFTER_COMMIT)
    void committed(io.lockstep.system.Auditable event) {
      if (types.contains(event.auditType())) {
        Holding.hold(event.auditType(), "committed");
      }
    }
  }

  /** An executor that holds at the crash points of its steps and is the delegate otherwise. */
  static final class Holding implements StepExecutor {

    private final StepExecutor delegate;
    private final Set<String> before;
    private final Set<String> after;

    Holding(StepExecutor delegate, Set<String> before, Set<String> after) {
      this.delegate = delegate;
      this.before = before;
      this.after = after;
    }

    @Override
    public String type() {
      return delegate.type();
    }

    @Override
    public StepPreview preview(Map<String, Object> params) {
      return delegate.preview(params);
    }

    @Override
    public String execute(StepContext context) throws Exception {
      if (before.contains(context.step())) {
        hold(context.step(), "before");
      }
      String summary = delegate.execute(context);
      if (after.contains(context.step())) {
        hold(context.step(), "after");
      }
      return summary;
    }

    @Override
    public Duration defaultTimeout() {
      return delegate.defaultTimeout();
    }

    @Override
    public boolean readOnly() {
      return delegate.readOnly();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }

    private static void hold(String step, String when) {
      System.out.println(marker(step, when));
      System.out.flush();
      CountDownLatch never = new CountDownLatch(1);
      while (true) {
        try {
          never.await();
        } catch (InterruptedException e) {
          // a crash point does not give way: the console is to be killed here
        }
      }
    }
  }
}
