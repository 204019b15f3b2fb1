package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import io.lockstep.system.SecretValues;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/** The engine's side of one attempt at one step: lines go to the run's log, facts to the store. */
final class EngineStepContext implements StepContext {

  private final String runId;
  private final String phaseId;
  private final String stepId;
  private final Map<String, Object> params;
  private final Duration timeout;
  private final Services services;
  private final Facts facts;
  private final Map<String, Integer> exits = new TreeMap<>();
  private final Undo undo = new Undo();
  private volatile StepPreview.Line said;

  /** What a context writes to. */
  record Services(RunStore store, RunLog log, SecretMasker masker, ApplicationEventPublisher events,
      TransactionTemplate tx, Clock clock, RunProgress progress) {}

  /** Where an attempt's last action and exit statuses are kept: its step's row, or its action attempt's. */
  interface Facts {
    void lastAction(String action);

    void lastExit(String exits);

    /** The facts of a step of the run's phases. */
    static Facts ofStep(RunStore store, String runId, String phaseId, String stepId) {
      return new Facts() {
        @Override
        public void lastAction(String action) {
          store.lastAction(runId, phaseId, stepId, action);
        }

        @Override
        public void lastExit(String exits) {
          store.lastExit(runId, phaseId, stepId, exits);
        }
      };
    }

    /** The facts of the attempt at an on-demand action that is under way. */
    static Facts ofAction(RunStore store, String runId, String actionId) {
      return new Facts() {
        @Override
        public void lastAction(String action) {
          store.actionFacts(runId, actionId, action, null);
        }

        @Override
        public void lastExit(String exits) {
          store.actionFacts(runId, actionId, null, exits);
        }
      };
    }
  }

  /** The context of an attempt at a step of a phase. */
  EngineStepContext(String runId, String phaseId, String stepId, Map<String, Object> params, Duration timeout,
      Services services) {
    this(runId, phaseId, stepId, params, timeout, services, Facts.ofStep(services.store(), runId, phaseId, stepId));
  }

  /**
   * The context of a step named {@code phaseId.stepId} in the log and the undo records ({@code
   * actions.start-apps.scale} for a step of an action), its facts kept by {@code facts}.
   */
  EngineStepContext(String runId, String phaseId, String stepId, Map<String, Object> params, Duration timeout,
      Services services, Facts facts) {
    this.runId = runId;
    this.phaseId = phaseId;
    this.stepId = stepId;
    this.params = params;
    this.timeout = timeout;
    this.services = services;
    this.facts = facts;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String step() {
    return phaseId + "." + stepId;
  }

  @Override
  public Map<String, Object> params() {
    return params;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void out(String node, String line) {
    services.log().append(runId, LogLine.out(step(), node, line == null ? "" : line));
  }

  @Override
  public void err(String node, String line) {
    services.log().append(runId, LogLine.err(step(), node, line == null ? "" : line));
  }

  @Override
  public String said(StepPreview.Line summary) {
    said = summary;
    return summary.english();
  }

  /**
   * The summary to store for what the attempt returned: the line it said, as a keyed message with
   * every argument masked, when {@code returned} is that line's English; else {@code returned}
   * (or {@code done}) masked, as it is.
   */
  String summary(String returned) {
    SecretScope secrets = services.masker().forRun(runId);
    StepPreview.Line line = said;
    if (line != null && returned != null && returned.equals(line.english())) {
      RunMessage message = RunMessage.of(line, secrets::mask);
      String english = message.english();
      if (english.equals(secrets.mask(english))) {
        return RunMessage.encode(message);
      } // else a secret made of an argument and the words around it: the English, masked whole
    }
    return secrets.mask(returned == null ? "done" : returned);
  }

  @Override
  public void info(String text) {
    services.log().append(runId, LogLine.sys(step(), text == null ? "" : text));
  }

  @Override
  public void action(String node, String description) {
    String shown = services.masker().forRun(runId).mask(description);
    String where = node == null ? "" : node + ": ";
    facts.lastAction(where + shown);
    services.log().append(runId, LogLine.sys(step(), "$ " + where + shown));
    services.events().publishEvent(new RunAudit("STEP_ACTION", "system", runId, step() + " " + where + shown,
        node == null ? Map.of("step", step(), "action", shown) : Map.of("step", step(), "node", node, "action", shown)));
  }

  /**
   * Records every node's status: a step on six nodes in parallel stores all six. The map and its
   * write are updated under one lock, so a slower writer can never store an older, shorter list
   * over a newer one.
   */
  @Override
  public void exitStatus(String node, int status) {
    synchronized (exits) {
      exits.put(node == null ? "-" : node, status);
      facts.lastExit(exits.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" ")));
    }
  }

  @Override
  public void progress(StepProgress progress) {
    services.progress().report(runId, step(), new StepProgress(progress.part(), services.masker().forRun(runId).mask(progress.label()),
        progress.done(), progress.total(), progress.perSecond(), progress.finished()));
  }

  @Override
  public void figure(String name, long value) {
    services.store().putFigure(runId, name, value, step(), services.clock().instant());
  }

  @Override
  public Map<String, Long> figures() {
    return services.store().figures(runId);
  }

  @Override
  public UndoRecords undo() {
    return undo;
  }

  private final class Undo implements UndoRecords {

    @Override
    public boolean recordOnce(String key, String value) {
      return record(key, value, false);
    }

    @Override
    public boolean recordSecretOnce(String key, String value) {
      return record(key, value, true);
    }

    private boolean record(String key, String value, boolean secret) {
      if (secret) {
        // what the run read from the cluster masks in its own output from now on (not in others')
        services.masker().runRead(runId, SecretValues.ofRecord(value));
      }
      String shown = secret ? UndoRecord.SECRET_VALUE : services.masker().forRun(runId).mask(value);
      Boolean stored = services.tx().execute(status -> {
        boolean inserted = services.store().insertUndo(runId, key, step(), value, secret, services.clock().instant());
        if (inserted) {
          services.events().publishEvent(new RunAudit("UNDO_RECORDED", "system", runId,
              step() + " recorded " + key + " = " + abbreviated(shown),
              Map.of("step", step(), "key", key, "value", bounded(shown))));
        }
        return inserted;
      });
      if (Boolean.TRUE.equals(stored)) {
        info("undo record " + key + " = " + abbreviated(shown));
      } else {
        info("undo record " + key + " kept from an earlier attempt");
      }
      return Boolean.TRUE.equals(stored);
    }

    @Override
    public Optional<String> get(String key) {
      return services.store().undo(runId, key);
    }

    @Override
    public Optional<String> recorded(String key) {
      return services.store().undoEvenSettled(runId, key);
    }

    @Override
    public Map<String, String> all(String prefix) {
      return services.store().undos(runId, prefix);
    }

    @Override
    public void settle(String key) {
      services.tx().executeWithoutResult(status -> {
        if (services.store().settleUndo(runId, key, services.clock().instant())) {
          services.events().publishEvent(new RunAudit("UNDO_SETTLED", "system", runId,
              step() + " put back " + key, Map.of("step", step(), "key", key)));
        }
      });
    }
  }

  /** An undo record's value as the audit trail keeps it: whole up to 2,000 characters, then cut and counted. */
  private static String bounded(String value) {
    return value.length() <= 2000 ? value : value.substring(0, 2000) + " … (" + value.length() + " characters in all)";
  }

  private static String abbreviated(String value) {
    String one = value.replaceAll("\\s+", " ");
    return one.length() <= 200 ? one : one.substring(0, 200) + " …";
  }
}
