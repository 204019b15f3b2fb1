package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.testing.LabNodeShell;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * P1 end to end on the lab: three old masters to three new nodes, planned in the planner, every
 * phase approved by a second person, then the platform checked through the Kubernetes API, over
 * SSH and on the nodes' disks. The lab is reset before and after, since the run retires nodes the
 * other console tests use.
 */
class ProtonMigrationIT extends LabConsoleTest {

  static final String PW = ProcedureRun.PW;
  static final List<String> OLD = List.of("node-1", "node-2", "node-3");
  static final List<String> NEW = List.of("node-4", "node-5", "node-6");

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final KubernetesClient client;
  private final NodeShell shell;

  @Autowired
  ProtonMigrationIT(@Value("${local.server.port}") int port, ObjectMapper json, Kubernetes kubernetes, NodeShell shell) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.client = kubernetes.client();
    this.shell = shell;
  }

  @BeforeEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @AfterEach
  void labForTheOthers() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void threeOldNodesToThreeNewNodesEndToEnd() throws Exception {
    Map<String, Integer> replicasBefore = appReplicas();
    String planId = MigrationPlans.retireOldMasters(console, "P1 end to end");
    JsonNode rows = json.readTree(console.getAs("op1", PW, "/api/plans/" + planId).body()).get("data").get("rows");

    ProcedureRun run = ProcedureRun.request(console, json, planId);
    run.approveAll();
    String state = run.until(Duration.ofMinutes(8));
    assertThat(state).as(run.message()).isEqualTo("SUCCEEDED");

    // every component's pods on the new nodes with the same ordinals, as the inventory reads them
    JsonNode inventory = json.readTree(console.getAs("op1", PW, "/api/inventory").body());
    for (JsonNode row : rows) {
      if (row.get("kind").asText().equals("host")) {
        continue;
      }
      JsonNode replica = replica(inventory, row.get("component").asText(), row.get("ordinal").asInt());
      assertThat(replica.get("podNode").asText()).as(row.get("key").asText()).isEqualTo(row.get("target_node").asText());
      assertThat(replica.get("node").asText()).as(row.get("key").asText()).isEqualTo(row.get("target_node").asText());
      assertThat(replica.get("dataPath").asText()).as(row.get("key").asText()).isEqualTo(row.get("target_path").asText());
      assertThat(replica.get("podReady").asBoolean()).as(row.get("key").asText()).isTrue();
    }
    // old nodes gone from the cluster and from the configuration
    for (String node : OLD) {
      assertThat(client.nodes().withName(node).get()).as(node).isNull();
    }
    String conf = ssh("node-4", "proton-cli", "get", "conf");
    for (String node : OLD) {
      assertThat(conf).as("proton-cli get conf").doesNotContain(node);
    }
    for (String node : NEW) {
      assertThat(conf).contains(node);
    }
    // every data directory on the new nodes byte-identical to its source
    for (JsonNode row : rows) {
      if (row.get("kind").asText().equals("host")) {
        continue;
      }
      Map<String, String> source = digests(sandbox(row.get("source_node").asText(), row.get("source_path").asText()));
      Map<String, String> target = digests(sandbox(row.get("target_node").asText(), row.get("target_path").asText()));
      assertThat(source).as(row.get("key").asText()).isNotEmpty();
      assertThat(target).as(row.get("key").asText()).isEqualTo(source);
      String sum = ssh(row.get("target_node").asText(), "sha256sum",
          row.get("target_path").asText() + "/" + source.keySet().iterator().next());
      assertThat(sum).startsWith(source.values().iterator().next());
    }
    // both Secrets name only the new nodes
    for (String name : List.of("persist-component-manage-components", "proton-cli-config")) {
      Secret secret = client.secrets().inAnyNamespace().list().getItems().stream()
          .filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
      String all = String.join("\n", secret.getData().values().stream()
          .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).toList());
      for (String node : OLD) {
        assertThat(all).as(name).doesNotContain(node);
      }
      assertThat(all).as(name).contains("node-4");
    }
    // applications back at their recorded replicas; DaemonSets un-parked
    assertThat(appReplicas()).isEqualTo(replicasBefore);
    for (DaemonSet ds : client.apps().daemonSets().inNamespace("anyshare").list().getItems()) {
      Map<String, String> selector = ds.getSpec().getTemplate().getSpec().getNodeSelector();
      assertThat(selector == null ? Map.of() : selector).as(ds.getMetadata().getName()).doesNotContainKey("stop-by-admin");
    }
    // the run's figures: pre-copy and final copy measured, and a forecast for the final copy
    JsonNode details = run.details();
    assertThat(details.get("window").get("downtimeSeconds").asLong()).isPositive();
    HttpResponse<String> log = console.getAs("op1", PW, "/runs/" + run.runId + "/log.txt");
    assertThat(log.body()).contains("proton-cli").doesNotContain("lab-root-secret");
  }

  private static JsonNode replica(JsonNode inventory, String component, int ordinal) {
    for (JsonNode c : inventory.get("components")) {
      if (c.get("name").asText().equals(component)) {
        for (JsonNode r : c.get("replicas")) {
          if (r.get("ordinal").asInt() == ordinal) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("the inventory has no replica " + ordinal + " of " + component);
  }

  private Map<String, Integer> appReplicas() {
    Map<String, Integer> replicas = new TreeMap<>();
    client.apps().deployments().inNamespace("anyshare").list().getItems()
        .forEach(d -> replicas.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getReplicas()));
    client.apps().statefulSets().inNamespace("anyshare").list().getItems()
        .forEach(s -> replicas.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getReplicas()));
    return replicas;
  }

  private String ssh(String node, String... argv) {
    return new LabNodeShell(shell).run(node, 0, argv);
  }

  private static Path sandbox(String node, String path) {
    return stateDir().resolve("nodes").resolve(node).resolve("root").resolve(path.substring(1));
  }

  /** Relative path → sha256 of every regular file under {@code dir}. */
  static Map<String, String> digests(Path dir) {
    Map<String, String> digests = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return digests;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
        digests.put(dir.relativize(file).toString(), HexFormat.of().formatHex(sha.digest()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return digests;
  }
}
