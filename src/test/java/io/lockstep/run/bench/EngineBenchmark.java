package io.lockstep.run.bench;

import io.lockstep.LockstepApplication;
import io.lockstep.run.Actor;
import io.lockstep.run.Plan;
import io.lockstep.run.Plans;
import io.lockstep.run.Run;
import io.lockstep.run.RunPhase;
import io.lockstep.run.Runs;
import io.lockstep.run.TestSteps;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Engine overhead per step: the whole console (lab profile) runs a procedure of N steps that do
 * nothing ({@code test.noop}) and of N steps that do what every real step does through the SPI
 * (declare an action, write a line, record an exit status and an undo record: {@code test.echo}),
 * and prints the time per step. Everything around the executor — the persisted transitions before
 * and after, the audit events, the log lines, the thread hand-off — is the overhead measured.
 *
 * <pre>
 * ./mvnw -q -B -Dbuild.dir=target-bench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target-bench/bench.classpath -Dmdep.includeScope=test
 * java -cp target-bench/test-classes:target-bench/classes:$(cat target-bench/bench.classpath) \
 *     io.lockstep.run.bench.EngineBenchmark --steps=200 --db=h2
 * </pre>
 */
public final class EngineBenchmark {

  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of("steps", "200", "db", "h2"));
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int steps = Integer.parseInt(options.get("steps"));
    String db = options.get("db");
    Path dir = Files.createTempDirectory("lockstep-engine-bench-");
    Path procedures = Files.createDirectories(dir.resolve("procedures"));
    Files.writeString(procedures.resolve("bench-noop.yml"), procedure("noop", steps));
    Files.writeString(procedures.resolve("bench-echo.yml"), procedure("echo", steps));

    // Command-line arguments: they outrank application.yml (whose datasource is ./data's H2 file).
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", "0");
    properties.put("logging.level.root", "WARN");
    properties.put("spring.main.banner-mode", "off");
    properties.put("lockstep.lab.state-dir", dir.resolve("lab").toString());
    properties.put("lockstep.lab.ssh-port", String.valueOf(LabConsoleTest.freePortOnNodeAddresses()));
    properties.put("lockstep.lab.api-port", "0");
    properties.put("lockstep.procedure.user-dir", procedures.toString());
    if ("postgres".equals(db)) {
      String schema = "lockstep_bench_" + System.nanoTime();
      properties.put("spring.datasource.url", TestDatabases.POSTGRES_URL + "?currentSchema=" + schema);
      properties.put("spring.datasource.username", TestDatabases.POSTGRES_USER);
      properties.put("spring.flyway.schemas", schema);
    } else {
      properties.put("spring.datasource.url", "jdbc:h2:mem:engine-bench;DB_CLOSE_DELAY=-1");
    }
    try (ConfigurableApplicationContext console = new SpringApplicationBuilder(LockstepApplication.class,
        TestSteps.class).profiles("lab").run(properties.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new))) {
      Plans plans = console.getBean(Plans.class);
      Runs runs = console.getBean(Runs.class);
      Actor op = Actor.of("op1", Role.OPERATOR);
      Actor ap = Actor.of("ap1", Role.APPROVER);
      System.out.printf(Locale.ROOT, "engine overhead, %d steps per phase, %s%n", steps, db);
      measure(plans, runs, op, ap, "noop", "warm-up");
      measure(plans, runs, op, ap, "noop", "test.noop (executor does nothing)");
      measure(plans, runs, op, ap, "echo", "test.echo (action, 1 line, exit status, undo record)");
    }
  }

  private static void measure(Plans plans, Runs runs, Actor op, Actor ap, String phase, String label)
      throws InterruptedException {
    Plan plan = plans.create(op, "engine-bench-" + phase, label, Map.of(), null);
    Run run = runs.request(op, plan.id());
    while (runs.get(run.id()).state() != Run.State.AWAITING_APPROVAL) {
      Thread.sleep(5);
    }
    runs.approve(ap, run.id(), phase, "bench", plan.hash());
    while (true) {
      RunPhase p = runs.phases(run.id()).stream().filter(x -> x.phaseId().equals(phase)).findFirst().orElseThrow();
      if (p.state() == RunPhase.State.SUCCEEDED) {
        Duration took = Duration.between(p.startedAt(), p.endedAt());
        int steps = (int) runs.steps(run.id()).stream().filter(s -> s.phaseId().equals(phase)).count();
        System.out.printf(Locale.ROOT, "  %-55s %6d steps in %6d ms = %6.2f ms per step%n", label, steps,
            took.toMillis(), took.toNanos() / 1e6 / steps);
        break;
      }
      if (p.state() == RunPhase.State.ABORTED || runs.get(run.id()).state() == Run.State.FAILED) {
        throw new IllegalStateException("benchmark run failed: " + runs.get(run.id()).message());
      }
      Thread.sleep(5);
    }
    while (runs.get(run.id()).state() != Run.State.SUCCEEDED) {
      Thread.sleep(5);
    }
  }

  private static String procedure(String type, int steps) {
    StringBuilder yaml = new StringBuilder("id: engine-bench-" + type + "\nname: Engine benchmark " + type
        + "\nphases:\n  - id: " + type + "\n    name: " + type + "\n    steps:\n");
    for (int i = 0; i < steps; i++) {
      yaml.append("      - id: s").append(i).append("\n        type: test.").append(type)
          .append("\n        params: ").append(type.equals("echo") ? "{text: \"line " + i + "\"}" : "{}")
          .append("\n        repeatable: true\n");
    }
    return yaml.toString();
  }
}
