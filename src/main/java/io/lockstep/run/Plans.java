package io.lockstep.run;

import io.lockstep.procedure.Parameter;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Procedures;
import io.lockstep.system.Role;
import io.lockstep.system.SecretMasker;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Plans: a procedure with the values it will run with, validated against the procedure's
 * parameters, versioned by content hash. Editing a plan makes a new version and voids every
 * approval given for an older one in phases that have not started. A plan can be corrected while
 * its run is stopped inside a phase (failed, waiting for a decision, paused): the rest of that
 * phase then waits for an approval of the new version before it goes on; while a step runs it
 * cannot be edited.
 */
@Service
public class Plans {

  private static final int MAX_TITLE = 200;
  private static final int MAX_AUDITED = 2000;
  /** A title is checked as free text is. */
  private static final Parameter TITLE =
      new Parameter("title", Parameter.Type.TEXT, false, null, null, null, false, null, null, (long) MAX_TITLE);

  private final PlanStore plans;
  private final RunStore runs;
  private final Procedures procedures;
  private final ObjectMapper json;
  private final ApplicationEventPublisher events;
  private final SecretMasker masker;
  private final Clock clock;
  private final List<PlanDataCheck> checks;
  private final Refusals refusals;

  Plans(PlanStore plans, RunStore runs, Procedures procedures, ObjectMapper json, ApplicationEventPublisher events,
      SecretMasker masker, Clock clock, List<PlanDataCheck> checks, Refusals refusals) {
    this.checks = List.copyOf(checks);
    this.refusals = refusals;
    this.plans = plans;
    this.runs = runs;
    this.procedures = procedures;
    this.json = json;
    this.events = events;
    this.masker = masker;
    this.clock = clock;
  }

  /**
   * Plans {@code procedureId} with {@code values}.
   *
   * @throws IllegalArgumentException listing every problem with the values; nothing is stored
   *     (the refusal is audited)
   */
  public Plan create(Actor actor, String procedureId, String title, Map<String, ?> values, Map<String, ?> data) {
    ValueChecks early = actor.has(Role.OPERATOR) ? valueChecks(procedureId, values, null) : null;
    return refusals.inTransaction(Refusals.about(actor, "plan a run of " + procedureId, null, null),
        () -> created(actor, procedureId, title, values, data, early));
  }

  private Plan created(Actor actor, String procedureId, String title, Map<String, ?> values, Map<String, ?> data,
      ValueChecks early) {
    actor.require(Role.OPERATOR, "plan a run", "run.refusal.do.planRun");
    Procedure procedure = procedure(procedureId);
    Map<String, Object> given = given(values);
    Map<String, Object> bound = procedure.bind(given);
    Map<String, Object> planData = data == null ? Map.of() : new LinkedHashMap<>(data);
    check(procedure, bound, true, planData, true, Map.of(), early);
    String procedureHash = procedure.contentHash();
    Instant now = clock.instant();
    Plan plan = new Plan(plans.nextId(), procedure.id(), title(title, procedure), 1,
        PlanHash.of(json, procedure.id(), procedureHash, bound, planData), procedureHash, given, planData,
        actor.name(), now, actor.name(), now);
    plans.insert(plan, procedure.secretParameters());
    secretsStored(plan.id(), procedure, bound);
    events.publishEvent(new RunAudit("PLAN_CREATED", actor.name(), null,
        "plan " + plan.id() + " of " + procedure.id() + " (" + plan.title() + "), version 1 " + plan.shortHash(),
        Map.of("plan", plan.id(), "procedure", procedure.id(), "planHash", plan.hash(), "values", audited(shown(procedure, given)))));
    return plan;
  }

  /**
   * Stores new values as the plan's next version. Values equal to the current ones (same hash)
   * change nothing and return the current version.
   *
   * @param expectedVersion the version the editor saw; null to skip the check
   * @throws RunException.Conflict the plan changed meanwhile, or one of its runs is in a phase
   *     (every refusal is audited)
   */
  public Plan edit(Actor actor, String planId, Integer expectedVersion, String title, Map<String, ?> values,
      Map<String, ?> data) {
    ValueChecks early = actor.has(Role.OPERATOR) ? plans.current(planId)
        .map(current -> valueChecks(current.procedureId(), values, current)).orElse(null) : null;
    return refusals.inTransaction(Refusals.about(actor, "edit plan " + planId, null, planId),
        () -> edited(actor, planId, expectedVersion, title, values, data, early));
  }

  /**
   * The plan checks' problems of the values, asked before the transaction that stores them: they
   * may read the cluster and the nodes over SSH for seconds, and a save must hold no database
   * connection and no lock on a run meanwhile (an approval of that run would wait for them).
   *
   * @param values the request's values
   * @param current the plan an edit changes (its values unchanged: nothing to ask), null for a new plan
   * @return null when they cannot be bound (the transaction refuses them) or need no check
   */
  private ValueChecks valueChecks(String procedureId, Map<String, ?> values, Plan current) {
    Procedure procedure = procedures.byId(procedureId).orElse(null);
    if (procedure == null || checks.stream().noneMatch(c -> c.procedureId().equals(procedureId))) {
      return null;
    }
    Map<String, Object> bound;
    try {
      bound = procedure.bind(given(values));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (current != null && !changed(procedure, current, bound)) {
      return null;
    }
    try {
      return new ValueChecks(procedure.contentHash(), bound, checks.stream()
          .filter(c -> c.procedureId().equals(procedureId)).flatMap(c -> c.valueProblems(bound).stream()).toList());
    } catch (IllegalArgumentException e) {
      return null; // asked again in the transaction, whose refusal is audited
    }
  }

  /** What the plan checks said of {@code bound} under the procedure of {@code procedureHash}. */
  private record ValueChecks(String procedureHash, Map<String, Object> bound, List<PlanDataCheck.ValueProblem> problems) {}

  private Plan edited(Actor actor, String planId, Integer expectedVersion, String title, Map<String, ?> values,
      Map<String, ?> data, ValueChecks early) {
    actor.require(Role.OPERATOR, "edit a plan", "run.refusal.do.editPlan");
    // One decision at a time per run: an approval being stored for a run of this plan commits
    // before the edit looks at it (and is voided), or waits and then sees the new version and its
    // author. Without this an approval stored meanwhile outlived the edit, its approver's own.
    for (Run run : runs.ofPlan(planId)) {
      if (!run.isFinal()) {
        runs.lock(run.id());
      }
    }
    Plan current = get(planId);
    if (expectedVersion != null && expectedVersion != current.version()) {
      throw new RunException.Conflict("plan " + planId + " is at version " + current.version()
          + " now, not " + expectedVersion + ": someone edited it meanwhile; reload it and edit again",
          RunMessage.of("run.refusal.planEditedMeanwhile", RunMessage.text(planId), RunMessage.text(current.version()),
              RunMessage.text(expectedVersion)));
    }
    Procedure procedure = procedure(current.procedureId());
    Map<String, Object> given = given(values);
    Map<String, Object> bound = procedure.bind(given);
    Map<String, Object> planData = data == null ? current.data() : new LinkedHashMap<>(data);
    // only new data is checked: stored rows checked against the platform mid-run (targets no
    // longer empty after the pre-copy) would refuse an edit of the values alone; values are checked
    // against the platform when they change
    boolean valuesChanged = changed(procedure, current, bound);
    if (data != null || valuesChanged) {
      check(procedure, bound, valuesChanged, planData, data != null, data == null ? Map.of() : dataUnderway(planId),
          early);
    }
    String procedureHash = procedure.contentHash();
    String hash = PlanHash.of(json, procedure.id(), procedureHash, bound, planData);
    String newTitle = title == null || title.isBlank() ? current.title() : title(title, procedure);
    if (hash.equals(current.hash()) && newTitle.equals(current.title())) {
      return current;
    }
    // A step under way runs with the version its phase has; the plan is corrected only while no
    // step of a run of it is under way or about to start. The rest of a phase then runs with the
    // new version once it is approved for it (the engine holds the run until then).
    for (Run run : runs.ofPlan(planId)) {
      if (run.state() == Run.State.RUNNING) {
        throw new RunException.Conflict("plan " + planId + " cannot be edited now: run " + run.id() + " is RUNNING in"
            + " phase " + run.phaseId() + " with version " + current.version() + "; pause it (or wait until it"
            + " stops or reaches the next phase's approval), then edit the plan", RunMessage.of("run.refusal.planInUse",
                RunMessage.text(planId), RunMessage.text(run.id()), RunMessage.phase(run.phaseId()),
                RunMessage.text(current.version())));
      }
    }
    Instant now = clock.instant();
    Plan next = new Plan(planId, current.procedureId(), newTitle, current.version() + 1, hash, procedureHash, given,
        planData, current.createdBy(), current.createdAt(), actor.name(), now);
    if (!plans.update(next, procedure.secretParameters())) {
      throw new RunException.Conflict("plan " + planId + " was edited by someone else at the same moment; reload it",
          RunMessage.of("run.refusal.planEditedAtOnce", RunMessage.text(planId)));
    }
    secretsStored(planId, procedure, bound);
    events.publishEvent(new RunAudit("PLAN_EDITED", actor.name(), null,
        "plan " + planId + " edited: version " + next.version() + " " + next.shortHash()
            + " replaces version " + current.version() + " " + current.shortHash(),
        Map.of("plan", planId, "version", next.version(), "planHash", next.hash(), "previousHash", current.hash(),
            "values", audited(shown(procedure, given)))));
    voidOverrideSignatures(actor, planId, next, !hash.equals(current.hash()), now);
    if (!hash.equals(current.hash())) {
      switchPhases(actor, procedure, next, now);
    }
    if (!hash.equals(current.hash())) {
      for (Run run : runs.ofPlan(planId)) {
        if (run.isFinal()) {
          continue;
        }
        List<Approval> voided = runs.voidOtherThan(run.id(), hash,
            "plan " + planId + " edited by " + actor.name() + " (version " + next.version() + ")", now);
        for (Approval approval : voided) {
          events.publishEvent(new RunAudit("APPROVAL_VOIDED", actor.name(), run.id(),
              approval.decision().name().toLowerCase() + " of phase " + approval.phaseId() + " by " + approval.actor()
                  + " voided: it was for plan version " + approval.planHash().substring(0, 12)
                  + ", the plan is now " + next.shortHash(),
              Map.of("phase", approval.phaseId(), "approver", approval.actor(), "planHash", approval.planHash(),
                  "newPlanHash", hash)));
        }
        if (run.state() == Run.State.AWAITING_APPROVAL && voided.stream().anyMatch(a -> a.phaseId().equals(run.phaseId()))) {
          procedure.phase(run.phaseId()).ifPresent(phase -> AfterCommit.run(() -> events.publishEvent(
              new RunNotifications.ApprovalWaiting(run.id(), procedure.id(), procedure.name(), phase.id(), phase.name(),
                  run.requester(), hash, now))));
        }
      }
    }
    return next;
  }

  /**
   * Voids the first signature on the override of a failed guard of the plan's runs when the edit
   * changed the values (it was given for the version the guard refused) or when its signer made the
   * edit (an author now, who may not sign). Without this, a second approver's signature completed
   * an override one of whose two signers was an author, or had signed for other values.
   */
  private void voidOverrideSignatures(Actor actor, String planId, Plan next, boolean valuesChanged, Instant now) {
    for (Run run : runs.ofPlan(planId)) {
      if (run.isFinal()) {
        continue;
      }
      Run locked = runs.lock(run.id()).orElseThrow();
      boolean signerEdits = locked.steps().stream().anyMatch(s -> actor.name().equals(s.overrideBy()));
      if (!valuesChanged && !signerEdits) {
        continue;
      }
      String why = "plan " + planId + " edited by " + actor.name() + " (version " + next.version() + ")"
          + (signerEdits ? ": the signer is an author now" : "");
      RunEvent.GuardOverrideVoided unsigned = locked.voidOverrideSignature(actor.name(), why, now);
      if (unsigned != null) {
        runs.save(locked);
        events.publishEvent(unsigned);
      }
    }
  }

  /**
   * Switches the phases of the plan's runs that have not reached them off or on, as the edited
   * plan's values say (a phase's {@code when}); audited per phase that changed.
   */
  private void switchPhases(Actor actor, Procedure procedure, Plan next, Instant now) {
    if (procedure.phases().stream().allMatch(p -> p.when() == null)) {
      return;
    }
    for (Run run : runs.ofPlan(next.id())) {
      if (run.isFinal()) {
        continue;
      }
      Run locked = runs.lock(run.id()).orElseThrow();
      List<RunEvent> changes = locked.switchPhases(phasesOff(next, procedure, locked.id(), locked.requester()),
          phase -> condition(procedure, phase), actor.name(), now);
      if (!changes.isEmpty()) {
        runs.save(locked);
        changes.forEach(events::publishEvent);
      }
    }
  }

  /** The phases of the procedure that the plan switches off: their {@code when} is false for its values. */
  Set<String> phasesOff(Plan plan, Procedure procedure, String runId, String requester) {
    if (procedure.phases().stream().allMatch(p -> p.when() == null)) {
      return Set.of();
    }
    Map<String, Object> scope = RunScope.of(runId, requester, plan, bound(plan, procedure));
    Set<String> off = new java.util.HashSet<>();
    for (io.lockstep.procedure.Phase phase : procedure.phases()) {
      if (!io.lockstep.procedure.ParamResolver.shouldRun(phase, scope)) {
        off.add(phase.id());
      }
    }
    return off;
  }

  /** A phase's {@code when} as written, for messages and the audit trail. */
  static String condition(Procedure procedure, String phaseId) {
    return procedure.phase(phaseId).map(io.lockstep.procedure.Phase::when).orElse("its condition");
  }

  public Plan get(String planId) {
    return plans.current(planId).orElseThrow(() -> new RunException.NotFound("there is no plan " + planId,
        RunMessage.of("run.refusal.noPlan", RunMessage.text(planId))));
  }

  public Plan version(String planId, int version) {
    return plans.version(planId, version)
        .orElseThrow(() -> new RunException.NotFound("plan " + planId + " has no version " + version,
            RunMessage.of("run.refusal.noPlanVersion", RunMessage.text(planId), RunMessage.text(version))));
  }

  /** Everyone who wrote a version of the plan (its creator and every editor): none of them may approve its runs. */
  public Set<String> authors(String planId) {
    return plans.authors(planId);
  }

  public List<Plan> recent(int max) {
    return plans.recent(max);
  }

  /** The plan's values as they may be shown: secret ones masked. */
  public Map<String, Object> shownValues(Plan plan) {
    return procedures.byId(plan.procedureId()).map(p -> shown(p, plan.values())).orElse(Map.of());
  }

  /**
   * The values bound to the procedure (defaults filled in): the {@code params} scope of a run. The
   * plan is a stored one, so its secret values mask in its scope (a no-op when known already).
   */
  Map<String, Object> bound(Plan plan, Procedure procedure) {
    Map<String, Object> bound = procedure.bind(plan.values());
    masker.planStored(plan.id(), secretValues(procedure, bound));
    return bound;
  }

  /**
   * The plan an actor's edit form is about; an unknown plan is a refusal of the edit (audited), as
   * {@link #edit} would record it.
   *
   * @throws RunException.NotFound there is no such plan
   */
  public Plan toEdit(Actor actor, String planId) {
    return refusals.recorded(Refusals.about(actor, "edit plan " + planId, null, planId), () -> get(planId));
  }

  /**
   * Records that a save was refused by the rules of a planner before it reached {@link #create} or
   * {@link #edit} (P1's replica rows with problems): a refusal is evidence wherever it is decided.
   *
   * @param planId the plan edited, or null for a new plan of {@code procedureId}
   * @param why what the person was told; a bounded line of it is kept
   */
  public void refusedSave(Actor actor, String procedureId, String planId, String why) {
    refusals.record(planId == null ? Refusals.about(actor, "plan a run of " + procedureId, null, null)
        : Refusals.about(actor, "edit plan " + planId, null, planId), why, "invalid");
  }

  /**
   * The procedure an actor's plan form is about; an unknown procedure is a refusal of the plan
   * (audited), as {@link #create} would record it.
   *
   * @throws IllegalArgumentException there is no such procedure
   */
  Procedure toPlan(Actor actor, String procedureId) {
    return refusals.recorded(Refusals.about(actor, "plan a run of " + procedureId, null, null),
        () -> procedure(procedureId));
  }

  Procedure procedure(String procedureId) {
    return procedures.byId(procedureId)
        .orElseThrow(() -> new IllegalArgumentException("there is no procedure '" + procedureId + "'"));
  }

  /**
   * The data of the plan version that a run of the plan, not yet ended, has started phases with
   * (the newest such version); empty when no run of the plan is under way. The plan's checks read
   * it so that what the run itself did (a pre-copy that filled its targets) does not count against
   * a correction of the same plan.
   */
  public Map<String, Object> dataUnderway(String planId) {
    int newest = 0;
    for (Run run : runs.ofPlan(planId)) {
      if (run.isFinal()) {
        continue;
      }
      for (RunPhase phase : run.phases()) {
        if (phase.planVersion() != null) {
          newest = Math.max(newest, phase.planVersion());
        }
      }
    }
    return newest == 0 ? Map.of() : version(planId, newest).data();
  }

  /** Whether {@code bound} differs from the plan's stored values (which no longer bind, if the procedure changed). */
  private static boolean changed(Procedure procedure, Plan current, Map<String, Object> bound) {
    try {
      return !bound.equals(procedure.bind(current.values()));
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /**
   * Runs the procedure's plan checks — of the values when {@code checkValues}, of the data when
   * {@code checkData} — and refuses the plan with every problem they found; problems of a value
   * name its parameter ({@link Procedure.InvalidValues}), as the parameter types' refusals do.
   */
  private void check(Procedure procedure, Map<String, Object> bound, boolean checkValues, Map<String, Object> data,
      boolean checkData, Map<String, Object> underway, ValueChecks early) {
    List<PlanDataCheck> mine = checks.stream().filter(c -> c.procedureId().equals(procedure.id())).toList();
    // asked before the transaction when possible; asked here only if the plan changed meanwhile
    boolean asked = early != null && early.bound().equals(bound) && early.procedureHash().equals(procedure.contentHash());
    List<PlanDataCheck.ValueProblem> byValue = !checkValues ? List.of() : asked ? early.problems()
        : mine.stream().flatMap(c -> c.valueProblems(bound).stream()).toList();
    List<String> problems = new java.util.ArrayList<>(byValue.stream().map(PlanDataCheck.ValueProblem::detail).toList());
    if (checkData) {
      mine.forEach(c -> problems.addAll(c.problems(bound, data, underway)));
    }
    if (problems.isEmpty()) {
      return;
    }
    String message = "the plan of " + procedure.id() + " cannot be stored: " + String.join("; ", problems);
    if (byValue.isEmpty()) {
      throw new IllegalArgumentException(message);
    }
    Map<String, String> byParameter = new LinkedHashMap<>();
    byValue.forEach(p -> byParameter.merge(p.parameter(), p.detail(), (a, b) -> a + "; " + b));
    // a parameter's problems in the reader's language only when every one of them is said as a message
    Map<String, List<org.springframework.context.MessageSourceResolvable>> said = new LinkedHashMap<>();
    byParameter.keySet().forEach(name -> {
      List<PlanDataCheck.ValueProblem> its = byValue.stream().filter(p -> p.parameter().equals(name)).toList();
      if (its.stream().allMatch(p -> p.said() != null)) {
        said.put(name, its.stream().<org.springframework.context.MessageSourceResolvable>map(PlanDataCheck.ValueProblem::said)
            .toList());
      }
    });
    throw new Procedure.InvalidValues(message, byParameter, said);
  }

  /**
   * Once the transaction that stored a version of the plan commits (never for a refused request),
   * its secret values mask in the plan's scope and its runs'; nowhere else.
   */
  private void secretsStored(String planId, Procedure procedure, Map<String, Object> bound) {
    List<String> values = secretValues(procedure, bound);
    AfterCommit.run(() -> masker.planStored(planId, values));
  }

  private static List<String> secretValues(Procedure procedure, Map<String, Object> bound) {
    return procedure.secretParameters().stream().map(bound::get).filter(java.util.Objects::nonNull)
        .map(String::valueOf).toList();
  }

  private static Map<String, Object> shown(Procedure procedure, Map<String, Object> values) {
    Map<String, Object> shown = new LinkedHashMap<>();
    values.forEach((name, value) -> shown.put(name,
        procedure.secretParameters().contains(name) ? SecretMasker.MASK : value));
    return shown;
  }

  /**
   * The values as given, without those not given: null or "". A value of only white space or
   * invisible characters counts as given, so that its parameter's type refuses it rather than a
   * default silently taking its place.
   */
  private static Map<String, Object> given(Map<String, ?> values) {
    Map<String, Object> given = new LinkedHashMap<>();
    if (values != null) {
      values.forEach((name, value) -> {
        if (value != null && !"".equals(value)) {
          given.put(name, value);
        }
      });
    }
    return given;
  }

  /**
   * The values as a plan event records them: at most {@value #MAX_AUDITED} characters, so that no
   * value, whatever a type lets through, makes an audit event large.
   */
  private static String audited(Map<String, Object> shown) {
    String text = String.valueOf(shown);
    return text.length() <= MAX_AUDITED ? text
        : text.substring(0, MAX_AUDITED) + "… (" + text.length() + " characters in all)";
  }

  private static String title(String title, Procedure procedure) {
    String t = title == null || title.isBlank() ? procedure.name() : title.strip();
    try {
      TITLE.accept(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a plan title is one line of at most " + MAX_TITLE
          + " printable characters (no control, bidi or zero-width characters)");
    }
    return t;
  }
}
