package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.testing.ConsoleProcess;
import io.lockstep.testing.CrashPointConsole;
import io.lockstep.testing.MigrationPlans;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * P1 with the console killed (SIGKILL: a JVM of its own, {@link ConsoleProcess}) at the moments a
 * maintenance night loses it, each time started again on the same database and lab:
 *
 * <ol>
 *   <li>while the manual step {@code plan.agreed} waits for its checklist;</li>
 *   <li>right after {@code rewrite-secrets.rewrite} rewrote both Secrets, before the engine stored
 *       the step's end ({@link CrashPointConsole}, hold after): it is not repeatable, so the run
 *       must wait in NEEDS_DECISION naming the last action and exit status recorded; the operator
 *       puts the Secrets back with the procedure's restore action and retries;</li>
 *   <li>right after {@code uninstall.helm-delete} deleted the releases (hold after): not
 *       repeatable either; the releases its recorded command named are gone from the cluster, so
 *       an approver skips it, with a reason;</li>
 *   <li>in the middle of {@code final-copy.copy}, copying a 300 MB file changed since the pre-copy
 *       (no hook: killed while the step runs and reports progress): it is repeatable and runs
 *       again by itself;</li>
 *   <li>while the last manual step, {@code checks.confirm}, waits.</li>
 * </ol>
 *
 * After every restart: the audit chain verifies and every audit row read before the kill is at
 * its seq with its hash; every undo record read before is there; no step that is not repeatable
 * started more often than once plus the retries people asked for (STEP_STARTED events and
 * attempts). At the end the platform is as after an uncrashed run of the same plan on a lab of its
 * own (every replica's node, data path and pod as the inventory reads them, the nodes, the
 * applications, the DaemonSets, both Secrets), and every target directory is byte-identical to
 * its source (SHA-256 of every file).
 */
class ProtonMigrationCrashIT {

  static final Duration WAIT = Duration.ofMinutes(4);
  static final Duration RUN = Duration.ofMinutes(12);
  static final List<String> SECRETS = List.of("persist-component-manage-components", "proton-cli-config");

  @Test
  void killedAtItsRiskyMomentsP1EndsAsAnUncrashedRun(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) {
    Map<String, String> uncrashed;
    try (ConsoleProcess clean = ConsoleProcess.builder(dir.resolve("uncrashed")).name("p1-uncrashed").start()) {
      String planId = MigrationPlans.retireOldMasters(clean.client(), "P1 not killed");
      ApiRun run = ApiRun.request(clean, planId);
      run.approveAll();
      assertThat(run.untilStopped(RUN)).as(run.message()).isEqualTo("SUCCEEDED");
      uncrashed = endState(clean, run);
      assertTargetsEqualSources(clean, run, planId);
    }

    try (ConsoleProcess console = ConsoleProcess.builder(dir.resolve("killed")).name("p1-killed")
        .main(CrashPointConsole.class).start()) {
      String planId = MigrationPlans.retireOldMasters(console.client(), "P1 killed five times");
      ApiRun run = ApiRun.request(console, planId);

      // 1. killed while plan.agreed waits: it is repeatable (a checklist), so it waits again
      run.approveUpTo("add-nodes");
      run.untilWaitingAt(WAIT, "plan.agreed");
      ApiRun.Snapshot agreed = run.snapshot("while plan.agreed waited");
      console.kill();
      console.restart(CrashPointConsole.holdAfter("rewrite-secrets.rewrite"));
      run.reconnect();
      run.assertKeptAfterRestart(agreed);
      run.until(WAIT, "plan.agreed waiting again", () -> run.stepState("plan.agreed").equals("WAITING"), "plan.agreed");
      assertThat(run.state()).isNotEqualTo("NEEDS_DECISION");
      run.confirm("plan.agreed");

      // 2. killed right after the Secrets were rewritten
      run.until(WAIT, "the rewrite to wait for approval", () -> run.details().get("run").get("phaseId").asText()
          .equals("rewrite-secrets") && run.state().equals("AWAITING_APPROVAL"));
      Map<String, String> originals = secrets(console);
      run.approveAll();
      console.awaitMarker(CrashPointConsole.marker("rewrite-secrets.rewrite", "after"), WAIT);
      ApiRun.Snapshot rewritten = run.snapshot("after the Secret rewrite");
      Map<String, String> rewrittenSecrets = secrets(console);
      assertThat(differences(originals, rewrittenSecrets)).as("rewritten before the kill").isNotEmpty();
      console.kill();
      console.restart(CrashPointConsole.holdAfter("uninstall.helm-delete"));
      run.reconnect();
      run.assertKeptAfterRestart(rewritten);
      assertDecisionNamesWhatWasRecorded(run, rewritten, "rewrite-secrets.rewrite");
      assertThat(differences(rewrittenSecrets, secrets(console)))
          .as("Secret keys not as the rewrite had left them before the kill, after the restart").isEmpty();
      run.action("restore-secrets");
      run.until(WAIT, "the Secrets put back", () -> secrets(console).equals(originals));
      assertThat(run.state()).as("the action does not move the run").isEqualTo("NEEDS_DECISION");
      run.retry("rewrite-secrets.rewrite");
      run.until(WAIT, "the rewrite retried", () -> run.stepState("rewrite-secrets.rewrite").equals("SUCCEEDED"));
      assertThat(differences(originals, secrets(console))).as("rewritten again by the retry").isNotEmpty();

      // 3. killed right after helm3 deleted the releases
      console.awaitMarker(CrashPointConsole.marker("uninstall.helm-delete", "after"), WAIT);
      ApiRun.Snapshot deleted = run.snapshot("after helm3 delete");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(deleted);
      assertDecisionNamesWhatWasRecorded(run, deleted, "uninstall.helm-delete");
      // what the approver checks before skipping it: the releases the recorded helm3 command deleted are gone
      List<String> releases = releases(ApiRun.step(deleted.details(), "uninstall.helm-delete").get("lastAction").asText());
      assertThat(statefulSets(console, "resource")).as("StatefulSets of the releases helm3 delete had uninstalled before"
          + " the kill (" + releases + "), after the restart").doesNotContainAnyElementsOf(releases);
      bigChange(console.labDir().resolve("nodes/node-1/root/sysvol/kafka/kafka_data/segment-big.log"));
      run.skip("uninstall.helm-delete", "helm3 delete had deleted every release before the console died");

      // 4. killed in the middle of the final copy
      run.until(RUN, "the final copy under way", () -> copying(run.details()));
      ApiRun.Snapshot copying = run.snapshot("during the final copy");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(copying);

      // 5. killed while the last checklist waits
      run.untilWaitingAt(RUN, "checks.confirm");
      assertThat(run.step("final-copy.copy").get("attempts").asInt()).as("the copy ran again").isGreaterThanOrEqualTo(2);
      ApiRun.Snapshot confirming = run.snapshot("while checks.confirm waited");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(confirming);
      run.until(WAIT, "checks.confirm waiting again", () -> run.stepState("checks.confirm").equals("WAITING"),
          "checks.confirm");
      run.confirm("checks.confirm");
      assertThat(run.untilStopped(RUN)).as(run.message()).isEqualTo("SUCCEEDED");

      run.assertNoStepRepeatedWithoutADecision(run.auditTrail(), " at the end");
      assertThat(endState(console, run)).as("the platform after the killed run, against the uncrashed run's")
          .isEqualTo(uncrashed);
      assertTargetsEqualSources(console, run, planId);
    }
  }

  /**
   * After a kill during a step that is not repeatable: the run waits for a decision, the step
   * INTERRUPTED, and the message names the step, its last action and its last exit status as
   * the run showed them before the kill.
   */
  private static void assertDecisionNamesWhatWasRecorded(ApiRun run, ApiRun.Snapshot before, String key) {
    JsonNode recorded = ApiRun.step(before.details(), key);
    assertThat(run.state()).as(run.message()).isEqualTo("NEEDS_DECISION");
    assertThat(run.stepState(key)).isEqualTo("INTERRUPTED");
    assertThat(run.message()).contains(key).contains("not repeatable");
    for (String field : List.of("lastAction", "lastExit")) {
      JsonNode value = recorded.get(field);
      if (value != null && !value.isNull() && !value.asText().isBlank()) {
        assertThat(run.message()).as(field + " recorded before the kill").contains(value.asText());
      }
    }
    assertThat(recorded.get("lastAction") == null ? "" : recorded.get("lastAction").asText(""))
        .as(key + " declared its action before carrying it out").isNotBlank();
  }

  /** The releases of a recorded {@code node-1: helm3 -n resource delete a b c} action. */
  private static List<String> releases(String action) {
    List<String> words = List.of(action.trim().split("\\s+"));
    assertThat(words).as(action).contains("delete");
    return words.subList(words.indexOf("delete") + 1, words.size());
  }

  private static List<String> statefulSets(ConsoleProcess console, String namespace) {
    try (KubernetesClient client = kubernetes(console)) {
      return client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
          .map(s -> s.getMetadata().getName()).sorted().toList();
    }
  }

  /** The final copy runs and has reported bytes of a part it has not finished. */
  private static boolean copying(JsonNode details) {
    if (!ApiRun.step(details, "final-copy.copy").get("state").asText().equals("RUNNING")) {
      return false;
    }
    for (JsonNode bar : details.get("progress")) {
      JsonNode progress = bar.get("progress");
      if (bar.get("step").asText().equals("final-copy.copy") && progress.get("done").asLong() > 0
          && !progress.get("finished").asBoolean()) {
        return true;
      }
    }
    return false;
  }

  /**
   * What an uncrashed run leaves, read through the console's inventory and the lab's Kubernetes
   * API: every replica (node, data path, PV, claim, pod phase, readiness, pod's node), the nodes
   * (roles, readiness, schedulability), the applications, the operator resources, the DaemonSets'
   * node selectors, both Secrets' contents. Not what differs between two labs by nature: SSH host
   * keys, pod names, times.
   */
  private static Map<String, String> endState(ConsoleProcess console, ApiRun run) {
    Map<String, String> state = new TreeMap<>();
    JsonNode inventory = run.as("op1").get("/api/inventory").body();
    for (JsonNode component : inventory.get("components")) {
      for (JsonNode r : component.get("replicas")) {
        state.put("replica " + component.get("name").asText() + "/" + r.get("ordinal").asInt(), String.join(" ",
            r.get("node").asText(), r.get("dataPath").asText(), r.get("pv").asText(), r.get("pvc").asText(),
            r.get("podPhase").asText(), r.get("podReady").asText(), r.get("podNode").asText()));
      }
    }
    for (JsonNode node : inventory.get("nodes")) {
      state.put("node " + node.get("name").asText(), node.get("roles") + " ready=" + node.get("ready").asText()
          + " schedulable=" + node.get("schedulable").asText() + " ip=" + node.get("ip").asText());
    }
    inventory.get("workloads").forEach(w -> state.put("workload " + w.get("kind").asText() + "/" + w.get("name").asText(),
        w.get("desired").asText() + "/" + w.get("ready").asText()));
    inventory.get("operatorComponents").forEach(o -> state.put("operator " + o.get("kind").asText() + "/"
        + o.get("name").asText(), o.get("replicas").asText()));
    try (KubernetesClient client = kubernetes(console)) {
      for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().list().getItems()) {
        state.put("daemonset " + ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName(),
            String.valueOf(new TreeMap<>(ds.getSpec().getTemplate().getSpec().getNodeSelector() == null ? Map.of()
                : ds.getSpec().getTemplate().getSpec().getNodeSelector())));
      }
    }
    secrets(console).forEach((key, value) -> state.put("secret " + key, sha256(value)));
    return state;
  }

  /** Every non-host row's target directory holds exactly its source's files, byte for byte. */
  private static void assertTargetsEqualSources(ConsoleProcess console, ApiRun run, String planId) {
    JsonNode rows = run.as("op1").get("/api/plans/" + planId).body().get("data").get("rows");
    for (JsonNode row : rows) {
      if (row.get("kind").asText().equals("host")) {
        continue;
      }
      Map<String, String> source = ProtonMigrationIT.digests(sandbox(console, row.get("source_node").asText(),
          row.get("source_path").asText()));
      Map<String, String> target = ProtonMigrationIT.digests(sandbox(console, row.get("target_node").asText(),
          row.get("target_path").asText()));
      assertThat(source).as(row.get("key").asText()).isNotEmpty();
      assertThat(target).as(row.get("key").asText() + ": every file of the target against the source").isEqualTo(source);
    }
  }

  private static Path sandbox(ConsoleProcess console, String node, String path) {
    return console.labDir().resolve("nodes").resolve(node).resolve("root").resolve(path.substring(1));
  }

  /**
   * The keys whose values differ (or exist on one side only), each with a short SHA-256 of the
   * value on either side: what a failure shows instead of the values, which hold passwords.
   */
  private static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    return keys.stream().filter(k -> !Objects.equals(expected.get(k), actual.get(k)))
        .map(k -> k + ": expected " + sha256(expected.get(k)) + ", was " + sha256(actual.get(k))).toList();
  }

  private static String sha256(String value) {
    if (value == null) {
      return "(none)";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Both Secrets P1 rewrites, every key decoded, as the lab's Kubernetes API serves them now. */
  static Map<String, String> secrets(ConsoleProcess console) {
    Map<String, String> data = new TreeMap<>();
    try (KubernetesClient client = kubernetes(console)) {
      for (Secret secret : client.secrets().inAnyNamespace().list().getItems()) {
        String name = secret.getMetadata().getName();
        if (SECRETS.contains(name) && secret.getData() != null) {
          secret.getData().forEach((key, value) -> data.put(name + "/" + key,
              new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
      }
    }
    return data;
  }

  /** A client of the lab's Kubernetes API, through the kubeconfig it wrote at its last start. */
  private static KubernetesClient kubernetes(ConsoleProcess console) {
    Path kubeconfig = console.labDir().resolve("kubeconfig");
    try {
      Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 300 MB written into a source data directory during the downtime, for the final copy to move. */
  private static void bigChange(Path file) {
    byte[] chunk = new byte[1 << 20];
    new Random(11).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 300; i++) {
        chunk[0] = (byte) i;
        out.write(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
