package io.lockstep.run;

import io.lockstep.system.Refused;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes every refused request evidence: when a use case refuses someone (a missing role, four-eyes,
 * a stale plan hash, a run in the wrong state, a bad value), a {@code REFUSED} audit event names
 * who asked, what for and why, and the refusal is passed on unchanged.
 *
 * <p>The refused change rolls back, so its event cannot ride in its transaction: it is written in
 * a transaction of its own after the refused one has ended. A failure that is not a refusal (an
 * action that ran and failed, an error) is not recorded here: the use case records its outcome.
 */
@Component
class Refusals {

  /** How much of a refusal's message lands in the audit trail; a hostile value may be megabytes. */
  static final int MAX_REASON = Refused.MAX_LINE;
  static final String REFUSED = Refused.TYPE;

  private final ApplicationEventPublisher events;
  private final TransactionTemplate work;
  private final TransactionTemplate separate;

  Refusals(ApplicationEventPublisher events, PlatformTransactionManager transactions) {
    this.events = events;
    this.work = new TransactionTemplate(transactions);
    this.separate = new TransactionTemplate(transactions);
    this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** A request about a run; {@code runId} may be null (a plan, not yet a run). */
  static Request about(Actor actor, String what, String runId, String planId) {
    return new Request(actor, what, runId, planId);
  }

  /** Runs {@code change} in one transaction; records its refusal, if it is refused, after it rolled back. */
  <T> T inTransaction(Request request, Supplier<T> change) {
    return recorded(request, () -> work.execute(status -> change.get()));
  }

  /** Runs {@code change} as it is (it manages its own transactions); records its refusal. */
  <T> T recorded(Request request, Supplier<T> change) {
    try {
      return change.get();
    } catch (RunException.NotAllowed | RunException.Conflict | RunException.NotFound | IllegalArgumentException e) {
      record(request, e);
      throw e;
    }
  }

  private void record(Request request, RuntimeException refusal) {
    record(request, refusal.getMessage(), kind(refusal));
  }

  /**
   * Records a refusal a caller decided on its own, before a use case was asked (a form's rules):
   * {@code why} is what the person was told, {@code kind} one of the words {@link #kind} gives.
   */
  void record(Request request, String why, String kind) {
    Map<String, Object> more = request.planId() == null ? Map.of() : Map.of("plan", request.planId());
    separate.executeWithoutResult(status -> events.publishEvent(new Refused(request.actor().name(),
        request.runId(), request.what(), why, kind, more)));
  }

  private static String kind(RuntimeException refusal) {
    if (refusal instanceof RunException.NotAllowed) {
      return "not allowed";
    }
    if (refusal instanceof RunException.Conflict) {
      return "conflict";
    }
    return refusal instanceof RunException.NotFound ? "not found" : "invalid";
  }

  /**
   * What was asked.
   *
   * @param actor who asked
   * @param what the request in words ({@code approve phase stop-apps})
   * @param runId the run it concerns, or null
   * @param planId the plan it concerns, or null
   */
  record Request(Actor actor, String what, String runId, String planId) {}
}
