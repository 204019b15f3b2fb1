package io.lockstep.run;

import static io.lockstep.run.PlanStore.instant;
import static io.lockstep.run.PlanStore.utc;

import io.lockstep.secrets.Sealer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Runs with their phases and steps (the {@link Run} aggregate), approvals, undo records and
 * figures. Plain SQL for H2 and PostgreSQL; joins the caller's transaction. A run's change is
 * written only if the run's version is still the one it was read at (compare-and-set), so two
 * actors racing (an abort and a step ending) cannot both win, even without the row lock that the
 * use cases and the engine also take.
 */
@Repository
class RunStore {

  private final JdbcClient jdbc;
  private final Sealer sealer;

  RunStore(DataSource dataSource, Sealer sealer) {
    this.jdbc = JdbcClient.create(dataSource);
    this.sealer = sealer;
  }

  String nextId() {
    return "run-" + IdCounter.next(jdbc, "run");
  }

  // ---- runs: the aggregate

  /**
   * Stores a new run with its phases and steps. The run marks its plan as having an active run;
   * a second active run of the same plan breaks a unique index and is refused.
   *
   * @throws RunException.Conflict the plan has an active run already
   */
  void insert(Run run) {
    try {
      jdbc.sql("""
          INSERT INTO run (id, plan_id, procedure_id, requester, state, phase_id, step_id, message,
                           pause_requested, created_at, updated_at, version, active_plan)
          VALUES (:id, :plan, :procedure, :requester, :state, :phase, :step, :message, FALSE, :at, :at, 0, :active)""")
          .param("id", run.id()).param("plan", run.planId()).param("procedure", run.procedureId())
          .param("requester", run.requester()).param("state", run.state().name()).param("phase", run.phaseId())
          .param("step", run.stepId()).param("message", cut(run.storedMessage())).param("at", utc(run.createdAt()))
          .param("active", run.isFinal() ? null : run.planId())
          .update();
    } catch (DuplicateKeyException e) {
      throw new RunException.Conflict("plan " + run.planId() + " already has an active run; a plan runs once at a time",
          RunMessage.of("run.refusal.planHasActiveRun", RunMessage.text(run.planId())));
    }
    for (RunPhase phase : run.phases()) {
      jdbc.sql("""
          INSERT INTO run_phase (run_id, phase_id, ordinal, state, requested_by)
          VALUES (:run, :phase, :ordinal, :state, :by)""")
          .param("run", phase.runId()).param("phase", phase.phaseId()).param("ordinal", phase.ordinal())
          .param("state", phase.state().name()).param("by", phase.requestedBy())
          .update();
    }
    for (RunStep step : run.steps()) {
      jdbc.sql("""
          INSERT INTO run_step (run_id, phase_id, step_id, ordinal, state, attempts)
          VALUES (:run, :phase, :step, :ordinal, :state, 0)""")
          .param("run", step.runId()).param("phase", step.phaseId()).param("step", step.stepId())
          .param("ordinal", step.ordinal()).param("state", step.state().name())
          .update();
    }
  }

  /** The run with its phases and steps. */
  Optional<Run> run(String id) {
    return jdbc.sql("SELECT * FROM run WHERE id = :id").param("id", id).query(Row::of).optional().map(this::whole);
  }

  /**
   * The run with its phases and steps, its row locked for the rest of the transaction: one
   * decision at a time per run, across threads and consoles.
   */
  Optional<Run> lock(String id) {
    return jdbc.sql("SELECT * FROM run WHERE id = :id FOR UPDATE").param("id", id).query(Row::of).optional()
        .map(this::whole);
  }

  List<Run> inStates(Collection<Run.State> states) {
    return wholes(jdbc.sql("SELECT * FROM run WHERE state IN (:states) ORDER BY created_at, id")
        .param("states", states.stream().map(Enum::name).toList()).query(Row::of).list());
  }

  /** The runs in {@code states} marked as needing attention ({@link #attention}). */
  List<Run> withAttention(Collection<Run.State> states) {
    return wholes(jdbc.sql("SELECT * FROM run WHERE attention IS NOT NULL AND state IN (:states) ORDER BY created_at, id")
        .param("states", states.stream().map(Enum::name).toList()).query(Row::of).list());
  }

  /** Marks a run as needing attention (what, e.g. {@code RECOVERY}), or unmarks it (null); no move of the run. */
  void attention(String runId, String what) {
    jdbc.sql("UPDATE run SET attention = :what WHERE id = :id").param("what", what).param("id", runId).update();
  }

  List<Run> recent(int max) {
    return wholes(jdbc.sql("SELECT * FROM run ORDER BY created_at DESC, id DESC LIMIT :max")
        .param("max", max).query(Row::of).list());
  }

  List<Run> ofPlan(String planId) {
    return wholes(jdbc.sql("SELECT * FROM run WHERE plan_id = :plan ORDER BY created_at, id")
        .param("plan", planId).query(Row::of).list());
  }

  /**
   * Writes what the run's moves changed: its row, only if its version is still the one it was read
   * at (then one higher), and the phases and steps that moved. A step's facts of its last attempt
   * (last action, exit statuses), which the executor writes while it runs, are cleared only when a
   * new attempt started.
   *
   * @throws RunException.Conflict the run changed since it was read (its version moved on)
   */
  void save(Run run) {
    if (!run.rowChanged() && run.changedPhases().isEmpty() && run.changedSteps().isEmpty()) {
      return;
    }
    int updated = jdbc.sql("""
        UPDATE run SET state = :state, phase_id = :phase, step_id = :step, message = :message,
          pause_requested = :pause, paused_by = :pausedBy, paused_at = :pausedAt, started_at = :started,
          ended_at = :ended, updated_at = :at,
          version = version + 1, active_plan = :active, action_id = :action
        WHERE id = :id AND version = :version""")
        .param("state", run.state().name()).param("phase", run.phaseId()).param("step", run.stepId())
        .param("message", cut(run.storedMessage())).param("pause", run.pauseRequested())
        .param("pausedBy", run.pausedBy()).param("pausedAt", utc(run.pausedAt()))
        .param("started", utc(run.startedAt())).param("ended", utc(run.endedAt())).param("at", utc(run.updatedAt()))
        .param("active", run.isFinal() ? null : run.planId()).param("action", run.actionId())
        .param("id", run.id()).param("version", run.version())
        .update();
    if (updated != 1) {
      throw new RunException.Conflict(run.id() + " changed meanwhile (someone else moved it); look again",
          RunMessage.of("run.refusal.runChangedMeanwhile", RunMessage.text(run.id())));
    }
    Run.ActionAttempt ended = run.actionEnded();
    if (ended != null) {
      jdbc.sql("""
          UPDATE run_action SET state = :state, ended_at = :at, summary = :summary
          WHERE run_id = :run AND action_id = :action AND state = 'RUNNING'""")
          .param("state", ended.state().name()).param("at", utc(ended.endedAt())).param("summary", cut(ended.summary()))
          .param("run", run.id()).param("action", ended.action()).update();
    }
    Run.ActionAttempt started = run.actionStarted();
    if (started != null) {
      jdbc.sql("""
          INSERT INTO run_action (run_id, action_id, actor, state, started_at)
          VALUES (:run, :action, :actor, 'RUNNING', :at)""")
          .param("run", run.id()).param("action", started.action()).param("actor", started.actor())
          .param("at", utc(started.startedAt())).update();
    }
    for (RunPhase phase : run.changedPhases()) {
      jdbc.sql("""
          UPDATE run_phase SET state = :state, plan_version = :version, plan_hash = :hash, started_at = :started,
            ended_at = :ended
          WHERE run_id = :run AND phase_id = :phase""")
          .param("state", phase.state().name()).param("version", phase.planVersion()).param("hash", phase.planHash())
          .param("started", utc(phase.startedAt())).param("ended", utc(phase.endedAt()))
          .param("run", phase.runId()).param("phase", phase.phaseId()).update();
    }
    for (RunStep step : run.changedSteps()) {
      boolean cleared = run.factsCleared(step.key());
      jdbc.sql("""
          UPDATE run_step SET state = :state, attempts = :attempts, started_at = :started, ended_at = :ended,
            summary = :summary, checklist = :checklist, attempt = :attempt, series_started_at = :series,
            next_attempt_at = :next, override_by = :overrideBy, override_reason = :overrideReason,
            last_action = CASE WHEN :cleared THEN NULL ELSE last_action END,
            last_exit = CASE WHEN :cleared THEN NULL ELSE last_exit END
          WHERE run_id = :run AND phase_id = :phase AND step_id = :step""")
          .param("state", step.state().name()).param("attempts", step.attempts())
          .param("started", utc(step.startedAt())).param("ended", utc(step.endedAt()))
          .param("summary", cut(step.storedSummary()))
          .param("checklist", step.checklist().isEmpty() ? null : checklist(step.checklist()))
          .param("cleared", cleared).param("attempt", step.attempt()).param("series", utc(step.seriesStartedAt()))
          .param("next", utc(step.nextAttemptAt())).param("overrideBy", step.overrideBy())
          .param("overrideReason", cut(step.overrideReason()))
          .param("run", step.runId()).param("phase", step.phaseId()).param("step", step.stepId()).update();
    }
  }

  private Run whole(Row row) {
    return row.run(phases(row.id()), steps(row.id()));
  }

  /** Many runs with three queries: their rows (given), all their phases, all their steps. */
  private List<Run> wholes(List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> ids = rows.stream().map(Row::id).toList();
    Map<String, List<RunPhase>> phases = new HashMap<>();
    Map<String, List<RunStep>> steps = new HashMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + 500));
      jdbc.sql("SELECT * FROM run_phase WHERE run_id IN (:runs) ORDER BY run_id, ordinal").param("runs", some)
          .query(RunStore::phase).list().forEach(p -> phases.computeIfAbsent(p.runId(), k -> new ArrayList<>()).add(p));
      jdbc.sql("SELECT * FROM run_step WHERE run_id IN (:runs) ORDER BY run_id, ordinal").param("runs", some)
          .query(RunStore::step).list().forEach(s -> steps.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s));
    }
    return rows.stream().map(r -> r.run(phases.getOrDefault(r.id(), List.of()), steps.getOrDefault(r.id(), List.of())))
        .toList();
  }

  /** A run's row, before its phases and steps are read. */
  private record Row(String id, String planId, String procedureId, String requester, Run.State state, String phaseId,
      String stepId, String message, boolean pauseRequested, Instant createdAt, Instant startedAt, Instant endedAt,
      Instant updatedAt, String actionId, long version, String pausedBy, Instant pausedAt) {

    static Row of(ResultSet rs, int row) throws SQLException {
      return new Row(rs.getString("id"), rs.getString("plan_id"), rs.getString("procedure_id"),
          rs.getString("requester"), Run.State.valueOf(rs.getString("state")), rs.getString("phase_id"),
          rs.getString("step_id"), rs.getString("message"), rs.getBoolean("pause_requested"),
          instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "ended_at"), instant(rs, "updated_at"),
          rs.getString("action_id"), rs.getLong("version"), rs.getString("paused_by"), instant(rs, "paused_at"));
    }

    Run run(List<RunPhase> phases, List<RunStep> steps) {
      return new Run(id, planId, procedureId, requester, state, phaseId, stepId, message, pauseRequested, createdAt,
          startedAt, endedAt, updatedAt, actionId, version, phases, steps).pausedAs(pausedBy, pausedAt);
    }
  }

  // ---- phases and steps, read

  List<RunPhase> phases(String runId) {
    return jdbc.sql("SELECT * FROM run_phase WHERE run_id = :run ORDER BY ordinal")
        .param("run", runId).query(RunStore::phase).list();
  }

  List<RunStep> steps(String runId) {
    return jdbc.sql("SELECT * FROM run_step WHERE run_id = :run ORDER BY ordinal")
        .param("run", runId).query(RunStore::step).list();
  }

  Optional<RunStep> step(String runId, String phaseId, String stepId) {
    return jdbc.sql("SELECT * FROM run_step WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("run", runId).param("phase", phaseId).param("step", stepId).query(RunStore::step).optional();
  }

  // ---- a step's facts, written by its executor while it runs (no move of the run)

  void lastAction(String runId, String phaseId, String stepId, String action) {
    jdbc.sql("UPDATE run_step SET last_action = :action WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("action", cut(action)).param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  void lastExit(String runId, String phaseId, String stepId, String exits) {
    jdbc.sql("UPDATE run_step SET last_exit = :exit WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("exit", exits == null || exits.length() <= 990 ? exits : exits.substring(0, 990) + " …").param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  /** The last action and exit statuses of the action attempt under way, as its steps report them. */
  void actionFacts(String runId, String action, String lastAction, String lastExit) {
    jdbc.sql("""
        UPDATE run_action SET last_action = COALESCE(:action, last_action), last_exit = COALESCE(:exit, last_exit)
        WHERE run_id = :run AND action_id = :id AND state = 'RUNNING'""")
        .param("action", cut(lastAction)).param("exit", lastExit == null || lastExit.length() <= 990 ? lastExit
            : lastExit.substring(0, 990) + " …")
        .param("run", runId).param("id", action).update();
  }

  /** Every action attempt of the run, oldest first. */
  List<ActionRecord> actionAttempts(String runId) {
    return jdbc.sql("SELECT * FROM run_action WHERE run_id = :run ORDER BY id").param("run", runId)
        .query((rs, row) -> new ActionRecord(rs.getLong("id"), rs.getString("action_id"), rs.getString("actor"),
            rs.getString("state"), instant(rs, "started_at"), instant(rs, "ended_at"), rs.getString("summary"),
            rs.getString("last_action"), rs.getString("last_exit")))
        .list();
  }

  // ---- what recovery checks found

  /**
   * Keeps what a check found at {@code at}, unless what is kept was found later (a slow look that
   * started earlier never overwrites a newer finding).
   */
  void putCheck(String runId, String action, String check, String state, String found, Instant at) {
    int updated = jdbc.sql("""
        UPDATE run_check SET state = :state, found = :found, checked_at = :at
        WHERE run_id = :run AND action_id = :action AND check_id = :check AND checked_at <= :at""")
        .param("state", state).param("found", cut(found)).param("at", utc(at)).param("run", runId)
        .param("action", action).param("check", check).update();
    boolean kept = jdbc.sql("SELECT COUNT(*) FROM run_check WHERE run_id = :run AND action_id = :action AND check_id = :check")
        .param("run", runId).param("action", action).param("check", check).query(Long.class).single() > 0;
    if (updated == 0 && !kept) {
      jdbc.sql("""
          INSERT INTO run_check (run_id, action_id, check_id, state, found, checked_at)
          VALUES (:run, :action, :check, :state, :found, :at)""")
          .param("run", runId).param("action", action).param("check", check).param("state", state)
          .param("found", cut(found)).param("at", utc(at)).update();
    }
  }

  List<CheckRecord> checks(String runId) {
    return jdbc.sql("SELECT * FROM run_check WHERE run_id = :run ORDER BY action_id, check_id").param("run", runId)
        .query((rs, row) -> new CheckRecord(rs.getString("action_id"), rs.getString("check_id"), rs.getString("state"),
            rs.getString("found"), instant(rs, "checked_at")))
        .list();
  }

  // ---- approvals

  /** Stores a decision; returns it with the id the database gave it. */
  Approval insertApproval(Approval approval) {
    org.springframework.jdbc.support.GeneratedKeyHolder key = new org.springframework.jdbc.support.GeneratedKeyHolder();
    jdbc.sql("""
        INSERT INTO approval (run_id, phase_id, plan_hash, decision, actor, comment, decided_at)
        VALUES (:run, :phase, :hash, :decision, :actor, :comment, :at)""")
        .param("run", approval.runId()).param("phase", approval.phaseId()).param("hash", approval.planHash())
        .param("decision", approval.decision().name()).param("actor", approval.actor())
        .param("comment", approval.comment()).param("at", utc(approval.decidedAt()))
        .update(key, "id");
    long id = key.getKeyAs(Number.class) == null ? 0 : key.getKeyAs(Number.class).longValue();
    return new Approval(id, approval.runId(), approval.phaseId(), approval.planHash(), approval.decision(),
        approval.actor(), approval.comment(), approval.decidedAt(), approval.voidedAt(), approval.voidedReason());
  }

  List<Approval> approvals(String runId) {
    return jdbc.sql("SELECT * FROM approval WHERE run_id = :run ORDER BY decided_at, id")
        .param("run", runId).query(RunStore::approval).list();
  }

  /**
   * Voids the standing decisions of the run that name another plan hash, on phases not started and
   * on the rest of a phase under way (decisions for a version it has not taken up); returns them.
   * The approval a phase started with stays as it was: it is history. A phase not started includes
   * one switched off by the plan (SKIPPED): an edit switches phases before it voids, and an approval
   * of a phase it had just switched off outlived it otherwise, standing again once an edit back to
   * that version switched the phase on.
   */
  List<Approval> voidOtherThan(String runId, String planHash, String reason, Instant at) {
    List<Approval> voided = jdbc.sql("""
        SELECT a.* FROM approval a JOIN run_phase p ON p.run_id = a.run_id AND p.phase_id = a.phase_id
        WHERE a.run_id = :run AND a.voided_at IS NULL AND a.plan_hash <> :hash
          AND (p.state IN ('PENDING', 'SKIPPED') OR (p.state = 'RUNNING' AND (p.plan_hash IS NULL OR p.plan_hash <> a.plan_hash)))
        ORDER BY a.id""")
        .param("run", runId).param("hash", planHash).query(RunStore::approval).list();
    for (Approval approval : voided) {
      jdbc.sql("UPDATE approval SET voided_at = :at, voided_reason = :reason WHERE id = :id")
          .param("at", utc(at)).param("reason", reason).param("id", approval.id()).update();
    }
    return voided;
  }

  // ---- undo records (a secret one's value is sealed before it is written and opened when read)

  /** Stores a record unless a standing one exists; a settled one is replaced. */
  boolean insertUndo(String runId, String key, String step, String value, boolean secret, Instant at) {
    Optional<Boolean> settled = jdbc.sql(
            "SELECT settled_at IS NOT NULL FROM undo_record WHERE run_id = :run AND record_key = :key")
        .param("run", runId).param("key", key).query(Boolean.class).optional();
    if (settled.isPresent() && !settled.get()) {
      return false;
    }
    String stored = secret ? sealer.seal(value) : value;
    if (settled.isPresent()) {
      return jdbc.sql("""
          UPDATE undo_record SET step = :step, value_text = :value, secret = :secret, recorded_at = :at, settled_at = NULL
          WHERE run_id = :run AND record_key = :key AND settled_at IS NOT NULL""")
          .param("step", step).param("value", stored).param("secret", secret).param("at", utc(at)).param("run", runId)
          .param("key", key)
          .update() == 1;
    }
    jdbc.sql("""
        INSERT INTO undo_record (run_id, record_key, step, value_text, secret, recorded_at)
        VALUES (:run, :key, :step, :value, :secret, :at)""")
        .param("run", runId).param("key", key).param("step", step).param("value", stored).param("secret", secret)
        .param("at", utc(at))
        .update();
    return true;
  }

  Optional<String> undo(String runId, String key) {
    return jdbc.sql("""
        SELECT value_text, secret FROM undo_record WHERE run_id = :run AND record_key = :key AND settled_at IS NULL""")
        .param("run", runId).param("key", key).query(this::undoValue).optional();
  }

  Optional<String> undoEvenSettled(String runId, String key) {
    return jdbc.sql("SELECT value_text, secret FROM undo_record WHERE run_id = :run AND record_key = :key")
        .param("run", runId).param("key", key).query(this::undoValue).optional();
  }

  Map<String, String> undos(String runId, String prefix) {
    Map<String, String> found = new TreeMap<>();
    jdbc.sql("""
        SELECT record_key, value_text, secret FROM undo_record
        WHERE run_id = :run AND settled_at IS NULL AND record_key LIKE :prefix ESCAPE '!'""")
        .param("run", runId).param("prefix", prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
        .query((rs, row) -> found.put(rs.getString("record_key"), undoValue(rs, row))).list();
    return found;
  }

  /** The opened values of the run's secret undo records (what it read from the cluster). */
  List<String> secretUndoValues(String runId) {
    return jdbc.sql("SELECT value_text, secret FROM undo_record WHERE run_id = :run AND secret = TRUE")
        .param("run", runId).query(this::undoValue).list();
  }

  /** A secret undo record in clear (from before sealing) or sealed with an older key. */
  record UnsealedUndo(String runId, String key, String value) {}

  List<UnsealedUndo> unsealedUndos() {
    return jdbc.sql("SELECT run_id, record_key, value_text FROM undo_record WHERE secret = TRUE AND value_text NOT LIKE :current")
        .param("current", "lss1:" + sealer.currentKeyId() + ":%")
        .query((rs, row) -> new UnsealedUndo(rs.getString(1), rs.getString(2), rs.getString(3))).list();
  }

  /** Writes the record's value again, sealed with the current key. */
  void resealUndo(UnsealedUndo row) {
    String plain = Sealer.isSealed(row.value()) ? sealer.open(row.value()) : row.value();
    jdbc.sql("UPDATE undo_record SET value_text = :value WHERE run_id = :run AND record_key = :key AND secret = TRUE")
        .param("value", sealer.seal(plain)).param("run", row.runId()).param("key", row.key()).update();
  }

  /** The plan a run runs. */
  Optional<String> planOf(String runId) {
    return jdbc.sql("SELECT plan_id FROM run WHERE id = :id").param("id", runId).query(String.class).optional();
  }

  private String undoValue(ResultSet rs, int row) throws SQLException {
    String value = rs.getString("value_text");
    return rs.getBoolean("secret") && Sealer.isSealed(value) ? sealer.open(value) : value;
  }

  List<UndoRecord> undoRecords(String runId) {
    return jdbc.sql("SELECT * FROM undo_record WHERE run_id = :run ORDER BY recorded_at, record_key")
        .param("run", runId)
        .query((rs, row) -> new UndoRecord(rs.getString("record_key"), rs.getString("step"),
            rs.getBoolean("secret") ? UndoRecord.SECRET_VALUE : rs.getString("value_text"),
            instant(rs, "recorded_at"), instant(rs, "settled_at")))
        .list();
  }

  boolean settleUndo(String runId, String key, Instant at) {
    return jdbc.sql("UPDATE undo_record SET settled_at = :at WHERE run_id = :run AND record_key = :key AND settled_at IS NULL")
        .param("at", utc(at)).param("run", runId).param("key", key).update() == 1;
  }

  // ---- figures

  void putFigure(String runId, String name, long value, String step, Instant at) {
    int updated = jdbc.sql("UPDATE run_figure SET figure = :value, step = :step, recorded_at = :at WHERE run_id = :run AND name = :name")
        .param("value", value).param("step", step).param("at", utc(at)).param("run", runId).param("name", name).update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO run_figure (run_id, name, figure, step, recorded_at) VALUES (:run, :name, :value, :step, :at)")
          .param("run", runId).param("name", name).param("value", value).param("step", step).param("at", utc(at))
          .update();
    }
  }

  /** The run's figures by name. */
  Map<String, Long> figures(String runId) {
    Map<String, Long> found = new TreeMap<>();
    jdbc.sql("SELECT name, figure FROM run_figure WHERE run_id = :run").param("run", runId)
        .query((rs, row) -> found.put(rs.getString(1), rs.getLong(2))).list();
    return found;
  }

  // ---- rows

  private static String checklist(List<String> items) {
    return cut(String.join("\n", items.stream().map(i -> i.replaceAll("\\s+", " ").strip()).toList()));
  }

  private static List<String> checklist(String stored) {
    return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split("\n"));
  }

  private static String cut(String text) {
    return text == null || text.length() <= 3900 ? text : text.substring(0, 3900) + " …";
  }

  private static RunPhase phase(ResultSet rs, int row) throws SQLException {
    int version = rs.getInt("plan_version");
    Integer planVersion = rs.wasNull() ? null : version; // asked at once: wasNull speaks of the last column read
    return new RunPhase(rs.getString("run_id"), rs.getString("phase_id"), rs.getInt("ordinal"),
        RunPhase.State.valueOf(rs.getString("state")), rs.getString("requested_by"),
        planVersion, rs.getString("plan_hash"), instant(rs, "started_at"), instant(rs, "ended_at"));
  }

  private static RunStep step(ResultSet rs, int row) throws SQLException {
    return new RunStep(rs.getString("run_id"), rs.getString("phase_id"), rs.getString("step_id"), rs.getInt("ordinal"),
        RunStep.State.valueOf(rs.getString("state")), rs.getInt("attempts"), instant(rs, "started_at"),
        instant(rs, "ended_at"), rs.getString("summary"), rs.getString("last_action"), rs.getString("last_exit"),
        checklist(rs.getString("checklist")), rs.getInt("attempt"), instant(rs, "series_started_at"),
        instant(rs, "next_attempt_at"), rs.getString("override_by"), rs.getString("override_reason"));
  }

  private static Approval approval(ResultSet rs, int row) throws SQLException {
    return new Approval(rs.getLong("id"), rs.getString("run_id"), rs.getString("phase_id"), rs.getString("plan_hash"),
        Approval.Decision.valueOf(rs.getString("decision")), rs.getString("actor"), rs.getString("comment"),
        instant(rs, "decided_at"), instant(rs, "voided_at"), rs.getString("voided_reason"));
  }
}
