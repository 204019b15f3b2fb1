package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.lockstep.LockstepApplication;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Console restarts in the middle of P1, as a crash looks to the engine: the application context is
 * closed and a new one starts on the same database and the same lab.
 *
 * <ol>
 *   <li>The console dies after the Secrets were rewritten but before the step's end was stored (a
 *       wrapper around the real {@code proton.secrets} executor holds the step after its effect,
 *       the one fault injected): the next console stops the run in NEEDS_DECISION, since the step
 *       is not repeatable; the operator's restore action puts both Secrets back exactly; a retry
 *       rewrites them again.</li>
 *   <li>The console dies during the final copy (a large file changed since the pre-copy keeps it
 *       busy): the next console runs the repeatable copy again, which completes and proves every
 *       target equal to its source; the run then finishes.</li>
 * </ol>
 */
class ProtonMigrationRecoveryIT {

  static final Duration WAIT = Duration.ofMinutes(3);
  static final CountDownLatch HOLD = new CountDownLatch(1);
  static Path dir;
  static int sshPort;

  @BeforeAll
  static void stateOnDisk() throws IOException {
    dir = Files.createTempDirectory("lockstep-p1-recovery-");
    sshPort = LabConsoleTest.freePortOnNodeAddresses();
  }

  /** Holds {@code proton.secrets} after it has done its work, as if the console died right then. */
  @Configuration
  static class DieAfterRewrite {
    @Bean
    static BeanPostProcessor holdRewrite() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (bean instanceof StepExecutor executor && executor.type().equals("proton.secrets")) {
            return new StepExecutor() {
              @Override
              public String type() {
                return executor.type();
              }

              @Override
              public StepPreview preview(Map<String, Object> params) {
                return executor.preview(params);
              }

              @Override
              public String execute(StepContext context) throws Exception {
                String summary = executor.execute(context);
                if (context.step().equals("rewrite-secrets.rewrite")) {
                  HOLD.await(); // the rewrite only: phase 1 checks the rewrite with the same executor
                }
                return summary;
              }

              @Override
              public java.time.Duration defaultTimeout() {
                return executor.defaultTimeout();
              }
            };
          }
          return bean;
        }
      };
    }
  }

  private static ConfigurableApplicationContext console(Class<?>... extra) {
    Map<String, String> settings = Map.of(
        "server.port", "0",
        "lockstep.lab.state-dir", dir.resolve("lab").toString(),
        "lockstep.lab.ssh-port", String.valueOf(sshPort),
        "lockstep.lab.api-port", "0",
        "lockstep.lab.pod-start-delay", "200ms",
        "lockstep.lab.pod-termination-grace", "300ms",
        "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/lockstep") + ";AUTO_SERVER=FALSE");
    Class<?>[] sources = new Class<?>[extra.length + 1];
    sources[0] = LockstepApplication.class;
    System.arraycopy(extra, 0, sources, 1, extra.length);
    return new SpringApplicationBuilder(sources).profiles("lab")
        .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
  }

  private static ConsoleClient client(ConfigurableApplicationContext context) {
    return new ConsoleClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
  }

  @Test
  void restartsAfterTheSecretRewriteAndDuringTheFinalCopy() throws Exception {
    String runId;
    Map<String, String> originals;
    try (ConfigurableApplicationContext first = console(DieAfterRewrite.class)) {
      ConsoleClient console = client(first);
      ObjectMapper json = first.getBean(ObjectMapper.class);
      String planId = MigrationPlans.retireOldMasters(console, "P1 with restarts");
      ProcedureRun run = ProcedureRun.request(console, json, planId);
      runId = run.runId;
      run.approveUpTo("add-nodes");
      run.until(WAIT, () -> run.details().get("run").get("phaseId").asText().equals("rewrite-secrets")
          && run.state().equals("AWAITING_APPROVAL"), "the rewrite to wait for approval");
      originals = secrets(first); // as the rewrite finds them (phase 7 recorded the new nodes in one)
      run.approveAll();
      run.until(WAIT, () -> run.stepState("rewrite-secrets.rewrite").equals("RUNNING")
          && !secrets(first).equals(originals), "the Secrets to be rewritten");
    }
    // The console is gone after the rewrite, before its end was stored.
    try (ConfigurableApplicationContext second = console()) {
      ConsoleClient console = client(second);
      ObjectMapper json = second.getBean(ObjectMapper.class);
      ProcedureRun run = ProcedureRun.resume(console, json, runId);
      await().atMost(WAIT).until(() -> run.state().equals("NEEDS_DECISION"));
      assertThat(run.message()).contains("rewrite-secrets.rewrite").contains("not repeatable");
      assertThat(run.stepState("rewrite-secrets.rewrite")).isEqualTo("INTERRUPTED");
      assertThat(secrets(second)).as("rewritten before the crash").isNotEqualTo(originals);

      assertThat(console.postAs("op2", ProcedureRun.PW, "/api/runs/" + runId + "/actions/restore-secrets", "{}")
          .statusCode()).isEqualTo(200);
      await().atMost(WAIT).until(() -> secrets(second).equals(originals));
      assertThat(run.state()).as("the action does not move the run").isEqualTo("NEEDS_DECISION");

      run.retry("rewrite-secrets.rewrite");
      await().atMost(WAIT).until(() -> !run.stepState("rewrite-secrets.rewrite").equals("PENDING")
          && !run.stepState("rewrite-secrets.rewrite").equals("RUNNING"));
      assertThat(run.stepState("rewrite-secrets.rewrite")).isEqualTo("SUCCEEDED");
      assertThat(secrets(second)).isNotEqualTo(originals);

      // The final copy will have a large file to move, changed after the pre-copy.
      run.until(WAIT, () -> run.stepState("uninstall.helm-delete").equals("SUCCEEDED"), "the uninstall");
      bigChange(dir.resolve("lab/nodes/node-1/root/sysvol/kafka/kafka_data/segment-big.log"));
      run.until(WAIT, () -> run.stepState("final-copy.copy").equals("RUNNING"), "the final copy");
    }
    // The console is gone during the final copy.
    try (ConfigurableApplicationContext third = console()) {
      ConsoleClient console = client(third);
      ObjectMapper json = third.getBean(ObjectMapper.class);
      ProcedureRun run = ProcedureRun.resume(console, json, runId);
      String state = run.until(Duration.ofMinutes(8));
      assertThat(state).as(run.message()).isEqualTo("SUCCEEDED");
      JsonNode copy = run.step("final-copy.copy");
      assertThat(copy.get("attempts").asInt()).as("the copy ran again after the restart").isGreaterThanOrEqualTo(2);
      assertThat(ProtonMigrationIT.digests(dir.resolve("lab/nodes/node-4/root/sysvol/kafka/kafka_data")))
          .isEqualTo(ProtonMigrationIT.digests(dir.resolve("lab/nodes/node-1/root/sysvol/kafka/kafka_data")));
      String log = console.getAs("op1", ProcedureRun.PW, "/runs/" + runId + "/log.txt").body();
      assertThat(log).contains("repeatable, so it runs again").contains("It is not repeatable");
    }
  }

  /** 300 MB written into a source data directory during the downtime. */
  private static void bigChange(Path file) throws IOException {
    byte[] chunk = new byte[1 << 20];
    new Random(11).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 300; i++) {
        chunk[0] = (byte) i;
        out.write(chunk);
      }
    }
  }

  private static Map<String, String> secrets(ConfigurableApplicationContext context) {
    Map<String, String> data = new TreeMap<>();
    for (Secret secret : context.getBean(Kubernetes.class).client().secrets().inAnyNamespace().list().getItems()) {
      String name = secret.getMetadata().getName();
      if (List.of("persist-component-manage-components", "proton-cli-config").contains(name) && secret.getData() != null) {
        secret.getData().forEach((key, value) -> data.put(name + "/" + key, value));
      }
    }
    return data;
  }

}
