package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.lockstep.procedure.Procedures;
import io.lockstep.secrets.Sealer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Secret values at rest, read back from the raw columns of real, migrated databases: a plan's
 * secret parameter and a secret undo record are ciphertext there (neither the value nor its
 * base64 appears in any column), read back whole through the stores; rows an older version wrote
 * in clear are sealed at start-up; a rotation seals again with the new key; a value sealed with a
 * key the console was not given stops the start-up with a message naming the setting.
 */
abstract class SealedAtRestContract {

  static final Instant T0 = Instant.parse("2026-12-01T22:00:00Z");
  static final String CANARY = "CanaryZq7-sealed-9f3a";
  static final String SECRET_JSON = "{\"data\":{\"ssh-password\":\""
      + Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)) + "\"},\"name\":\"proton-cli-config\"}";

  DataSource ds;
  JdbcClient jdbc;
  TransactionTemplate tx;
  final byte[] key = Sealer.randomKey();
  Sealer sealer;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    ds = database();
    jdbc = JdbcClient.create(ds);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
    sealer = Sealer.withKeys(key);
  }

  PlanStore plans(Sealer with) {
    return new PlanStore(ds, JsonMapper.builder().build(), with);
  }

  RunStore runs(Sealer with) {
    return new RunStore(ds, with);
  }

  SecretsAtRest atStartUp(Sealer with) {
    return new SecretsAtRest(plans(with), runs(with), mock(Procedures.class), with, new JdbcTransactionManager(ds));
  }

  Plan plan(PlanStore store) {
    return tx.execute(s -> {
      Plan plan = new Plan(store.nextId(), "proton-node-migration", "P1", 1, "a".repeat(64), "b".repeat(64),
          Map.of("ssh_password", CANARY, "bwlimit", 5000), Map.of(), "op1", T0, "op1", T0);
      store.insert(plan, Set.of("ssh_password"));
      return plan;
    });
  }

  Run run(RunStore store, Plan plan) {
    return tx.execute(s -> {
      Run run = Run.request(store.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a"))), T0);
      store.insert(run);
      store.insertUndo(run.id(), "exported/proton/proton-cli-config", "one.a", SECRET_JSON, true, T0);
      store.insertUndo(run.id(), "replicas/x", "one.a", "3", false, T0);
      return run;
    });
  }

  /** Every column of the two tables, as text. */
  String rawRows() {
    StringBuilder all = new StringBuilder();
    for (String table : List.of("plan_version", "undo_record")) {
      jdbc.sql("SELECT * FROM " + table).query((rs, n) -> {
        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
          all.append(rs.getString(c)).append('|');
        }
        return all.append('\n');
      }).list();
    }
    return all.toString();
  }

  void assertNoCanary(String text) {
    assertThat(text).doesNotContain(CANARY)
        .doesNotContain(Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(Base64.getEncoder().encodeToString(SECRET_JSON.getBytes(StandardCharsets.UTF_8)).substring(0, 20));
  }

  @Test
  void secretPlanValuesAndSecretUndoRecordsAreCiphertextInTheirColumns() {
    PlanStore plans = plans(sealer);
    RunStore runs = runs(sealer);
    Plan plan = plan(plans);
    Run run = run(runs, plan);

    String raw = rawRows();
    assertNoCanary(raw);
    assertThat(raw).contains("lss1:" + sealer.currentKeyId() + ":").contains("\"ssh_password\":null")
        .contains("\"bwlimit\":5000");
    assertThat(plans.current(plan.id()).orElseThrow().values()).containsEntry("ssh_password", CANARY)
        .containsEntry("bwlimit", 5000);
    assertThat(runs.undo(run.id(), "exported/proton/proton-cli-config")).contains(SECRET_JSON);
    assertThat(runs.undos(run.id(), "exported/")).containsEntry("exported/proton/proton-cli-config", SECRET_JSON);
    assertThat(runs.undo(run.id(), "replicas/x")).contains("3");
    assertThat(runs.undoRecords(run.id())).extracting(UndoRecord::value).doesNotContain(SECRET_JSON);
  }

  @Test
  void rowsAnOlderVersionStoredInClearAreSealedAtStartUp() {
    Plan plan = plan(plans(sealer));
    Run run = run(runs(sealer), plan);
    // as versions before sealing left them
    jdbc.sql("UPDATE plan_version SET values_json = :v, secret_values = NULL")
        .param("v", "{\"ssh_password\":\"" + CANARY + "\",\"bwlimit\":5000}").update();
    jdbc.sql("UPDATE undo_record SET value_text = :v WHERE secret = TRUE").param("v", SECRET_JSON).update();
    assertThat(rawRows()).contains(CANARY);

    atStartUp(sealer).afterSingletonsInstantiated();

    assertNoCanary(rawRows());
    assertThat(plans(sealer).current(plan.id()).orElseThrow().values()).containsEntry("ssh_password", CANARY);
    assertThat(runs(sealer).undo(run.id(), "exported/proton/proton-cli-config")).contains(SECRET_JSON);
  }

  @Test
  void aRotationSealsAgainWithTheNewKeyAndAForgottenKeyStopsTheStartUp() {
    Plan plan = plan(plans(sealer));
    Run run = run(runs(sealer), plan);
    byte[] newKey = Sealer.randomKey();
    Sealer rotated = Sealer.withKeys(newKey, key);

    atStartUp(rotated).afterSingletonsInstantiated();

    String raw = rawRows();
    assertNoCanary(raw);
    assertThat(raw).contains("lss1:" + rotated.currentKeyId() + ":").doesNotContain("lss1:" + sealer.currentKeyId());
    Sealer newOnly = Sealer.withKeys(newKey);
    assertThat(plans(newOnly).current(plan.id()).orElseThrow().values()).containsEntry("ssh_password", CANARY);
    assertThat(runs(newOnly).undo(run.id(), "exported/proton/proton-cli-config")).contains(SECRET_JSON);

    Sealer stranger = Sealer.withKeys(Sealer.randomKey());
    assertThatThrownBy(() -> atStartUp(stranger).afterSingletonsInstantiated())
        .hasMessageContaining("cannot open 2 sealed secret values")
        .hasMessageContaining("sealed with key " + rotated.currentKeyId())
        .hasMessageContaining("lockstep.secrets.key-file");
    assertNoCanary(rawRows());
  }

}
