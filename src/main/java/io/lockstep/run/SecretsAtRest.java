package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Procedures;
import io.lockstep.secrets.Sealer;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The secret values this module keeps at rest: secret plan parameters and secret undo records
 * (Secret backups).
 *
 * <p>At start-up, before the console serves anyone, it refuses to start when a stored value is
 * sealed with a key it was not given (naming the setting to fix), then seals what an older version
 * stored in clear and seals again what an old key sealed (after a rotation), one row per
 * transaction. It is also where {@link SecretMasker} finds a plan's or a run's secrets after a
 * restart.
 */
@Component
class SecretsAtRest implements SecretMasker.Source, SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);
  /** For a plan whose procedure is gone: which values to treat as secret. */
  private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(passw|secret|token|credential|api[_-]?key).*");

  private final PlanStore plans;
  private final RunStore runs;
  private final Procedures procedures;
  private final Sealer sealer;
  private final TransactionTemplate tx;

  SecretsAtRest(PlanStore plans, RunStore runs, Procedures procedures, Sealer sealer,
      PlatformTransactionManager transactionManager) {
    this.plans = plans;
    this.runs = runs;
    this.procedures = procedures;
    this.sealer = sealer;
    this.tx = new TransactionTemplate(transactionManager);
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<PlanStore.Unsealed> planRows = plans.unsealed();
    List<RunStore.UnsealedUndo> undoRows = runs.unsealedUndos();
    List<String> closed = new ArrayList<>();
    planRows.stream().filter(r -> Sealer.isSealed(r.sealed()) && !sealer.canOpen(r.sealed()))
        .forEach(r -> closed.add("plan " + r.planId() + " version " + r.version()));
    undoRows.stream().filter(r -> Sealer.isSealed(r.value()) && !sealer.canOpen(r.value()))
        .forEach(r -> closed.add("undo record " + r.key() + " of run " + r.runId()));
    if (!closed.isEmpty()) {
      String first = planRows.stream().map(PlanStore.Unsealed::sealed).filter(Sealer::isSealed)
          .filter(v -> !sealer.canOpen(v)).findFirst()
          .orElseGet(() -> undoRows.stream().map(RunStore.UnsealedUndo::value).filter(v -> !sealer.canOpen(v))
              .findFirst().orElseThrow());
      throw new IllegalStateException("the console cannot open " + closed.size() + " sealed secret value"
          + (closed.size() == 1 ? "" : "s") + " (" + String.join(", ", closed.stream().limit(5).toList())
          + (closed.size() > 5 ? ", …" : "") + "): " + sealer.unknownKey(first.split(":")[1]));
    }
    for (PlanStore.Unsealed row : planRows) {
      tx.executeWithoutResult(status -> plans.reseal(row, secretNames(row)));
    }
    for (RunStore.UnsealedUndo row : undoRows) {
      tx.executeWithoutResult(status -> runs.resealUndo(row));
    }
    if (!planRows.isEmpty() || !undoRows.isEmpty()) {
      log.info("sealed {} plan version(s) and {} secret undo record(s) with key {} (stored in clear by an older"
          + " version, or sealed with an old key)", planRows.size(), undoRows.size(), sealer.currentKeyId());
    }
  }

  private Set<String> secretNames(PlanStore.Unsealed row) {
    Optional<Procedure> procedure = procedures.byId(row.procedureId());
    if (procedure.isPresent()) {
      return procedure.get().secretParameters();
    }
    return plans.joined(row.values(), row.sealed()).keySet().stream()
        .filter(name -> CREDENTIAL_NAME.matcher(name).matches()).collect(Collectors.toSet());
  }

  @Override
  public Optional<String> planOfRun(String runId) {
    return runs.planOf(runId);
  }

  @Override
  public Collection<String> secretsOfPlan(String planId) {
    return plans.secretValues(planId);
  }

  @Override
  public Collection<String> secretsOfRun(String runId) {
    List<String> values = new ArrayList<>();
    runs.secretUndoValues(runId).forEach(record -> values.addAll(SecretValues.ofRecord(record)));
    return values;
  }
}
