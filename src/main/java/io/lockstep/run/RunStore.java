package io.lockstep.run;

import static io.lockstep.run.PlanStore.instant;
import static io.lockstep.run.PlanStore.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Runs, their phases and steps, approvals and undo records. Plain SQL for H2 and PostgreSQL; joins
 * the caller's transaction. State changes are conditional on the state the caller saw ({@code
 * WHERE state = …}), so two actors racing (an abort and a step ending) cannot both win.
 */
@Repository
class RunStore {

  private final JdbcClient jdbc;

  RunStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  String nextId() {
    return "run-" + IdCounter.next(jdbc, "run");
  }

  // ---- runs

  void insert(Run run) {
    jdbc.sql("""
        INSERT INTO run (id, plan_id, procedure_id, requester, state, phase_id, step_id, message,
                         pause_requested, created_at, updated_at)
        VALUES (:id, :plan, :procedure, :requester, :state, :phase, :step, :message, FALSE, :at, :at)""")
        .param("id", run.id()).param("plan", run.planId()).param("procedure", run.procedureId())
        .param("requester", run.requester()).param("state", run.state().name()).param("phase", run.phaseId())
        .param("step", run.stepId()).param("message", cut(run.message())).param("at", utc(run.createdAt()))
        .update();
  }

  Optional<Run> run(String id) {
    return jdbc.sql("SELECT * FROM run WHERE id = :id").param("id", id).query(RunStore::run).optional();
  }

  /** Locks the run's row for the rest of the transaction (one decision at a time per run). */
  Optional<Run> lock(String id) {
    return jdbc.sql("SELECT * FROM run WHERE id = :id FOR UPDATE").param("id", id).query(RunStore::run).optional();
  }

  List<Run> inStates(Collection<Run.State> states) {
    return jdbc.sql("SELECT * FROM run WHERE state IN (:states) ORDER BY created_at, id")
        .param("states", states.stream().map(Enum::name).toList()).query(RunStore::run).list();
  }

  List<Run> recent(int max) {
    return jdbc.sql("SELECT * FROM run ORDER BY created_at DESC, id DESC LIMIT :max")
        .param("max", max).query(RunStore::run).list();
  }

  List<Run> ofPlan(String planId) {
    return jdbc.sql("SELECT * FROM run WHERE plan_id = :plan ORDER BY created_at, id")
        .param("plan", planId).query(RunStore::run).list();
  }

  /**
   * Moves the run from {@code from} to {@code to} at {@code phase}/{@code step} with {@code message}.
   *
   * @return false when the run was not in {@code from} any more (someone else moved it)
   */
  boolean move(String id, Run.State from, Run.State to, String phase, String step, String message, Instant at) {
    return jdbc.sql("""
        UPDATE run SET state = :to, phase_id = :phase, step_id = :step, message = :message, updated_at = :at,
          started_at = CASE WHEN started_at IS NULL AND :to = 'RUNNING' THEN :at ELSE started_at END,
          ended_at = CASE WHEN :to IN ('SUCCEEDED', 'ABORTED') THEN :at ELSE ended_at END
        WHERE id = :id AND state = :from""")
        .param("to", to.name()).param("phase", phase).param("step", step).param("message", cut(message))
        .param("at", utc(at)).param("id", id).param("from", from.name())
        .update() == 1;
  }

  void pauseRequested(String id, boolean requested, Instant at) {
    jdbc.sql("UPDATE run SET pause_requested = :requested, updated_at = :at WHERE id = :id")
        .param("requested", requested).param("at", utc(at)).param("id", id).update();
  }

  // ---- phases

  void insertPhase(RunPhase phase) {
    jdbc.sql("""
        INSERT INTO run_phase (run_id, phase_id, ordinal, state, requested_by)
        VALUES (:run, :phase, :ordinal, :state, :by)""")
        .param("run", phase.runId()).param("phase", phase.phaseId()).param("ordinal", phase.ordinal())
        .param("state", phase.state().name()).param("by", phase.requestedBy())
        .update();
  }

  List<RunPhase> phases(String runId) {
    return jdbc.sql("SELECT * FROM run_phase WHERE run_id = :run ORDER BY ordinal")
        .param("run", runId).query(RunStore::phase).list();
  }

  void startPhase(String runId, String phaseId, int planVersion, String planHash, Instant at) {
    jdbc.sql("""
        UPDATE run_phase SET state = 'RUNNING', plan_version = :version, plan_hash = :hash, started_at = :at
        WHERE run_id = :run AND phase_id = :phase""")
        .param("version", planVersion).param("hash", planHash).param("at", utc(at))
        .param("run", runId).param("phase", phaseId).update();
  }

  void endPhase(String runId, String phaseId, RunPhase.State state, Instant at) {
    jdbc.sql("UPDATE run_phase SET state = :state, ended_at = :at WHERE run_id = :run AND phase_id = :phase")
        .param("state", state.name()).param("at", utc(at)).param("run", runId).param("phase", phaseId).update();
  }

  // ---- steps

  void insertStep(RunStep step) {
    jdbc.sql("""
        INSERT INTO run_step (run_id, phase_id, step_id, ordinal, state, attempts)
        VALUES (:run, :phase, :step, :ordinal, :state, 0)""")
        .param("run", step.runId()).param("phase", step.phaseId()).param("step", step.stepId())
        .param("ordinal", step.ordinal()).param("state", step.state().name())
        .update();
  }

  List<RunStep> steps(String runId) {
    return jdbc.sql("SELECT * FROM run_step WHERE run_id = :run ORDER BY ordinal")
        .param("run", runId).query(RunStore::step).list();
  }

  Optional<RunStep> step(String runId, String phaseId, String stepId) {
    return jdbc.sql("SELECT * FROM run_step WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("run", runId).param("phase", phaseId).param("step", stepId).query(RunStore::step).optional();
  }

  /** Starts an attempt: RUNNING, one more attempt, the last attempt's facts cleared. */
  void startStep(String runId, String phaseId, String stepId, Instant at) {
    jdbc.sql("""
        UPDATE run_step SET state = 'RUNNING', attempts = attempts + 1, started_at = :at, ended_at = NULL,
          summary = NULL, last_action = NULL, last_exit = NULL
        WHERE run_id = :run AND phase_id = :phase AND step_id = :step""")
        .param("at", utc(at)).param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  /** Sets the step's state; {@code ended} also stamps the end time. */
  boolean stepState(String runId, String phaseId, String stepId, Collection<RunStep.State> from, RunStep.State to,
      String summary, Instant endedAt) {
    return jdbc.sql("""
        UPDATE run_step SET state = :to, summary = COALESCE(:summary, summary),
          ended_at = COALESCE(:ended, ended_at)
        WHERE run_id = :run AND phase_id = :phase AND step_id = :step AND state IN (:from)""")
        .param("to", to.name()).param("summary", cut(summary)).param("ended", utc(endedAt))
        .param("run", runId).param("phase", phaseId).param("step", stepId)
        .param("from", from.stream().map(Enum::name).toList())
        .update() == 1;
  }

  void resetStep(String runId, String phaseId, String stepId) {
    jdbc.sql("UPDATE run_step SET state = 'PENDING' WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  void lastAction(String runId, String phaseId, String stepId, String action) {
    jdbc.sql("UPDATE run_step SET last_action = :action WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("action", cut(action)).param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  void lastExit(String runId, String phaseId, String stepId, String exits) {
    jdbc.sql("UPDATE run_step SET last_exit = :exit WHERE run_id = :run AND phase_id = :phase AND step_id = :step")
        .param("exit", exits == null || exits.length() <= 990 ? exits : exits.substring(0, 990) + " …").param("run", runId).param("phase", phaseId).param("step", stepId).update();
  }

  // ---- approvals

  void insertApproval(Approval approval) {
    jdbc.sql("""
        INSERT INTO approval (run_id, phase_id, plan_hash, decision, actor, comment, decided_at)
        VALUES (:run, :phase, :hash, :decision, :actor, :comment, :at)""")
        .param("run", approval.runId()).param("phase", approval.phaseId()).param("hash", approval.planHash())
        .param("decision", approval.decision().name()).param("actor", approval.actor())
        .param("comment", approval.comment()).param("at", utc(approval.decidedAt()))
        .update();
  }

  List<Approval> approvals(String runId) {
    return jdbc.sql("SELECT * FROM approval WHERE run_id = :run ORDER BY decided_at, id")
        .param("run", runId).query(RunStore::approval).list();
  }

  /** Voids the standing decisions of the run that name another plan hash; returns them. */
  List<Approval> voidOtherThan(String runId, String planHash, String reason, Instant at) {
    List<Approval> voided = jdbc.sql("""
        SELECT * FROM approval WHERE run_id = :run AND voided_at IS NULL AND plan_hash <> :hash
          AND phase_id IN (SELECT phase_id FROM run_phase WHERE run_id = :run AND state = 'PENDING')""")
        .param("run", runId).param("hash", planHash).query(RunStore::approval).list();
    for (Approval approval : voided) {
      jdbc.sql("UPDATE approval SET voided_at = :at, voided_reason = :reason WHERE id = :id")
          .param("at", utc(at)).param("reason", reason).param("id", approval.id()).update();
    }
    return voided;
  }

  // ---- undo records

  /** Stores a record unless a standing one exists; a settled one is replaced. */
  boolean insertUndo(String runId, String key, String step, String value, boolean secret, Instant at) {
    Optional<Boolean> settled = jdbc.sql(
            "SELECT settled_at IS NOT NULL FROM undo_record WHERE run_id = :run AND record_key = :key")
        .param("run", runId).param("key", key).query(Boolean.class).optional();
    if (settled.isPresent() && !settled.get()) {
      return false;
    }
    if (settled.isPresent()) {
      return jdbc.sql("""
          UPDATE undo_record SET step = :step, value_text = :value, secret = :secret, recorded_at = :at, settled_at = NULL
          WHERE run_id = :run AND record_key = :key AND settled_at IS NOT NULL""")
          .param("step", step).param("value", value).param("secret", secret).param("at", utc(at)).param("run", runId)
          .param("key", key)
          .update() == 1;
    }
    jdbc.sql("""
        INSERT INTO undo_record (run_id, record_key, step, value_text, secret, recorded_at)
        VALUES (:run, :key, :step, :value, :secret, :at)""")
        .param("run", runId).param("key", key).param("step", step).param("value", value).param("secret", secret)
        .param("at", utc(at))
        .update();
    return true;
  }

  Optional<String> undo(String runId, String key) {
    return jdbc.sql("SELECT value_text FROM undo_record WHERE run_id = :run AND record_key = :key AND settled_at IS NULL")
        .param("run", runId).param("key", key).query(String.class).optional();
  }

  Optional<String> undoEvenSettled(String runId, String key) {
    return jdbc.sql("SELECT value_text FROM undo_record WHERE run_id = :run AND record_key = :key")
        .param("run", runId).param("key", key).query(String.class).optional();
  }

  Map<String, String> undos(String runId, String prefix) {
    Map<String, String> found = new TreeMap<>();
    jdbc.sql("""
        SELECT record_key, value_text FROM undo_record
        WHERE run_id = :run AND settled_at IS NULL AND record_key LIKE :prefix ESCAPE '!'""")
        .param("run", runId).param("prefix", prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
        .query((rs, row) -> found.put(rs.getString(1), rs.getString(2))).list();
    return found;
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

  private static String cut(String text) {
    return text == null || text.length() <= 3900 ? text : text.substring(0, 3900) + " …";
  }

  private static Run run(ResultSet rs, int row) throws SQLException {
    return new Run(rs.getString("id"), rs.getString("plan_id"), rs.getString("procedure_id"),
        rs.getString("requester"), Run.State.valueOf(rs.getString("state")), rs.getString("phase_id"),
        rs.getString("step_id"), rs.getString("message"), rs.getBoolean("pause_requested"),
        instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "ended_at"), instant(rs, "updated_at"));
  }

  private static RunPhase phase(ResultSet rs, int row) throws SQLException {
    int version = rs.getInt("plan_version");
    return new RunPhase(rs.getString("run_id"), rs.getString("phase_id"), rs.getInt("ordinal"),
        RunPhase.State.valueOf(rs.getString("state")), rs.getString("requested_by"),
        rs.wasNull() ? null : version, rs.getString("plan_hash"), instant(rs, "started_at"), instant(rs, "ended_at"));
  }

  private static RunStep step(ResultSet rs, int row) throws SQLException {
    return new RunStep(rs.getString("run_id"), rs.getString("phase_id"), rs.getString("step_id"), rs.getInt("ordinal"),
        RunStep.State.valueOf(rs.getString("state")), rs.getInt("attempts"), instant(rs, "started_at"),
        instant(rs, "ended_at"), rs.getString("summary"), rs.getString("last_action"), rs.getString("last_exit"));
  }

  private static Approval approval(ResultSet rs, int row) throws SQLException {
    return new Approval(rs.getLong("id"), rs.getString("run_id"), rs.getString("phase_id"), rs.getString("plan_hash"),
        Approval.Decision.valueOf(rs.getString("decision")), rs.getString("actor"), rs.getString("comment"),
        instant(rs, "decided_at"), instant(rs, "voided_at"), rs.getString("voided_reason"));
  }
}
