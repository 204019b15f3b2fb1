package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * P1's proton steps on the lab, in the procedure's order: add the new nodes (phase 7), rewrite the
 * Secrets (phase 8), and after the components were uninstalled, place them on the new nodes and
 * remove the old ones (phase 13). The lab's proton-cli and Secrets behave as the real ones do,
 * including apply's one-time kubesuite failure when it removes several nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtonStepsOnTheLabTest {

  static final Duration STEP = Duration.ofMinutes(2);
  static final String MIDDLE = "/root/lockstep/r-20261125-0007/middle.yaml";
  static final String CURRENT = "/root/lockstep/r-20261125-0007/current.yaml";
  static final String COMPONENTS = "persist-component-manage-components";
  static final String CLI_CONFIG = "proton-cli-config";

  @TempDir static Path state;
  static ProtonLab lab;
  static final InMemoryUndoRecords run = new InMemoryUndoRecords();
  /** The Secrets' data as the rewrite found them. */
  static Map<String, String> componentsBefore;
  static Map<String, String> cliConfigBefore;

  @BeforeAll
  static void startTheLab() {
    lab = ProtonLab.start(state);
  }

  @AfterAll
  static void stopTheLab() {
    lab.close();
  }

  static Map<String, Object> addNodes(List<String> nodes) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("node", "node-1");
    params.put("file", MIDDLE);
    params.put("add_nodes", nodes);
    params.put("password", ProtonLab.PASSWORD);
    return params;
  }

  static Map<String, Object> finalConf(List<Map<String, Object>> rows) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("node", "node-4");
    params.put("file", CURRENT);
    params.put("rows", rows);
    params.put("remove_nodes", APlan.OLD_NODES);
    params.put("password", ProtonLab.PASSWORD);
    return params;
  }

  static RecordingStepContext context(String step, Map<String, Object> params) {
    return new RecordingStepContext(step, params, STEP, run);
  }

  static ObjectNode conf() {
    return Yaml.mapping(lab.conf()).orElseThrow();
  }

  static List<String> names(JsonNode list, String field) {
    List<String> names = new ArrayList<>();
    list.forEach(item -> names.add(field.isEmpty() ? item.asString() : item.path(field).asString()));
    return names;
  }

  /** Lines the diff adds or removes, without its --- and +++ header. */
  static List<String> changedLines(String diff) {
    return diff.lines().filter(l -> (l.startsWith("+") || l.startsWith("-"))
        && !l.startsWith("+++") && !l.startsWith("---")).toList();
  }

  static void assertShowsNoCredential(String text) {
    for (String credential : ProtonLab.CREDENTIALS) {
      assertThat(text).doesNotContain(credential);
    }
  }

  @Test
  @Order(1)
  void aNodeTheClusterDoesNotHaveIsRefusedBeforeAnythingChanges() {
    String before = lab.conf();
    Map<String, Object> params = addNodes(List.of("node-4", "node-9"));

    assertThatThrownBy(() -> lab.applyConf.preview(params)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("node node-9 is not a node of the cluster");
    RecordingStepContext context = context("add-nodes.apply", params);
    assertThatThrownBy(() -> lab.applyConf.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("node-9");

    assertThat(context.actions()).isEmpty();
    assertThat(lab.conf()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void thePreviewOfAddingNodesShowsExactlyTheAdditionsAndNoPassword() {
    StepPreview preview = lab.applyConf.preview(addNodes(APlan.NEW_NODES));

    assertThat(changedLines(preview.diff())).containsExactly(
        "+  - name: node-4", "+    ip4: 127.0.10.4",
        "+  - name: node-5", "+    ip4: 127.0.10.5",
        "+  - name: node-6", "+    ip4: 127.0.10.6",
        "+    - node-4", "+    - node-5", "+    - node-6");
    assertThat(preview.diff()).startsWith("--- " + MIDDLE + " (proton-cli get conf on node-1)\n+++ " + MIDDLE
        + " (edited)\n@@ ");
    assertThat(preview.actions()).contains("node-1: proton-cli get conf (its output holds credentials and is not logged)",
        "edit: added node-4 under .nodes with ip4 127.0.10.4", "edit: added node-4 under .cs.master",
        "node-1: chmod 0600 " + MIDDLE,
        "node-1: proton-cli apply -f " + MIDDLE + " -p ****** (run once more if it fails naming 'kubesuite')");
    assertShowsNoCredential(preview.diff() + String.join("\n", preview.actions()));
  }

  @Test
  @Order(3)
  void addingNodesAppliesTheEditAndTheNodesBecomeMasters() throws Exception {
    ObjectNode before = conf();
    RecordingStepContext context = context("add-nodes.apply", addNodes(APlan.NEW_NODES));

    String summary = lab.applyConf.execute(context);

    assertThat(summary).isEqualTo("applied " + MIDDLE + " on node-1: 6 changes");
    assertThat(context.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("已在 node-1 上应用 " + MIDDLE + "：6 处改动");
    ObjectNode after = conf();
    assertThat(names(after.get("nodes"), "name"))
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
    assertThat(after.get("nodes").get(4).get("ip4").asString()).isEqualTo("127.0.10.5");
    assertThat(names(after.get("cs").get("master"), ""))
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
    ObjectNode rest = after.deepCopy();
    rest.set("nodes", before.get("nodes"));
    ((ObjectNode) rest.get("cs")).set("master", before.get("cs").get("master"));
    assertThat(rest).as("nothing but .nodes and .cs.master changed").isEqualTo(before);
    for (String node : APlan.NEW_NODES) {
      assertThat(lab.client().nodes().withName(node).get().getMetadata().getLabels())
          .containsKey("node-role.kubernetes.io/control-plane");
    }
    Path file = lab.file("node-1", MIDDLE);
    assertThat(Files.readString(file)).isEqualTo(lab.conf());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(context.actions()).contains("node-1: proton-cli apply -f " + MIDDLE + " -p ******");
    assertThat(context.lines("out")).contains("out node-1: apply succeeded");
    assertShowsNoCredential(String.join("\n", context.log()));
  }

  @Test
  @Order(4)
  void addingTheSameNodesAgainChangesNothingButStillApplies() throws Exception {
    RecordingStepContext context = context("add-nodes.apply", addNodes(APlan.NEW_NODES));

    assertThat(lab.applyConf.execute(context)).isEqualTo("applied " + MIDDLE + " on node-1: configuration unchanged");

    assertThat(context.infos()).contains("already done: node-5 already under .nodes",
        "already done: node-5 already under .cs.master");
    assertThat(context.actions()).contains("node-1: proton-cli apply -f " + MIDDLE + " -p ******");
    assertThat(names(conf().get("nodes"), "name")).hasSize(6);
  }

  @Test
  @Order(5)
  void newNodesHaveTheProtonToolsAndTeeAppends() throws Exception {
    List<String> out = new ArrayList<>();
    ExecResult which = lab.shell.exec(lab.shell.target("node-5", "127.0.10.5"),
        RemoteCommand.of("which", "proton-cli", "helm3", "kubectl"), STEP, (stream, line) -> out.add(line));
    assertThat(which.exitStatus()).isZero();
    assertThat(out).containsExactly("/usr/local/bin/proton-cli", "/usr/local/bin/helm3", "/usr/bin/kubectl");

    ExecResult append = lab.shell.exec(lab.shell.target("node-5", "127.0.10.5"),
        RemoteCommand.of("tee", "-a", "/root/notes.txt"), STEP, "one\n".getBytes(), OutputListener.IGNORE);
    lab.shell.exec(lab.shell.target("node-5", "127.0.10.5"), RemoteCommand.of("tee", "-a", "/root/notes.txt"),
        STEP, "two\n".getBytes(), OutputListener.IGNORE);
    assertThat(append.exitStatus()).isZero();
    assertThat(Files.readString(lab.file("node-5", "/root/notes.txt"))).isEqualTo("one\ntwo\n");
  }

  @Test
  @Order(6)
  void aRowThatMatchesNeitherTheOldNorTheNewHostsIsRefused() {
    componentsBefore = lab.secret("resource", COMPONENTS).getData();
    cliConfigBefore = lab.secret("proton", CLI_CONFIG).getData();
    Map<String, Object> params = Map.of("rows", APlan.rows(lab.seed, row -> {
      if (row.get("key").equals("kafka-0")) {
        row.put("source_node", "node-2");
        row.put("target_node", "node-5");
      } else if (row.get("key").equals("kafka-1")) {
        row.put("source_node", "node-1");
        row.put("target_node", "node-4");
      }
      return row;
    }));

    assertThatThrownBy(() -> lab.rewriteSecrets.preview(params)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("kafka has hosts node-1, node-2, node-3 but the plan moves its replicas "
            + "node-2, node-1, node-3 → node-5, node-4, node-6");
    RecordingStepContext context = context("rewrite-secrets.rewrite", params);
    assertThatThrownBy(() -> lab.rewriteSecrets.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageEndingWith("nothing was changed");

    assertThat(run.recorded()).isEmpty();
    assertThat(lab.secret("resource", COMPONENTS).getData()).isEqualTo(componentsBefore);
  }

  @Test
  @Order(7)
  void thePreviewOfTheRewriteIsADiffPerKeyWithCredentialsMasked() {
    StepPreview preview = lab.rewriteSecrets.preview(Map.of("rows", APlan.rows(lab.seed)));

    assertThat(preview.diff()).contains("--- resource/" + COMPONENTS + " kafka.yaml\n+++ resource/" + COMPONENTS
        + " kafka.yaml (rewritten)\n", "--- proton/" + CLI_CONFIG + " ClusterConfiguration\n",
        "-  - node-1\n", "+  - node-4\n", "+data_path: " + APlan.ZOOKEEPER_PATH + "\n", "\n password: '******'\n");
    assertShowsNoCredential(preview.diff() + String.join("\n", preview.actions()));
    assertThat(preview.actions()).contains(
        "keep Secret proton/" + CLI_CONFIG + " whole with the run (once; its values are never shown)",
        "proton/" + CLI_CONFIG + " key ssh-password: left as it is (not a YAML mapping)");
  }

  @Test
  @Order(8)
  void theRewriteKeepsTheSecretsThenPlacesEveryReplicaAsPlanned() {
    Map<String, Object> params = Map.of("rows", APlan.rows(lab.seed));
    RecordingStepContext context = context("rewrite-secrets.rewrite", params);

    assertThat(lab.rewriteSecrets.execute(context)).isEqualTo("rewrote 13 keys in resource/" + COMPONENTS
        + ", proton/" + CLI_CONFIG);

    Map<String, String> files = lab.decoded("resource", COMPONENTS);
    ObjectNode cluster = Yaml.mapping(lab.decoded("proton", CLI_CONFIG).get("ClusterConfiguration")).orElseThrow();
    for (var component : lab.seed.components()) {
      List<String> planned = component.nodes().stream().map(APlan.MOVES::get).toList();
      String path = component.name().equals("zookeeper") ? APlan.ZOOKEEPER_PATH : component.dataPath();
      ObjectNode file = Yaml.mapping(files.get(component.confKey() + ".yaml")).orElseThrow();
      assertThat(names(file.get("hosts"), "")).as(component.name()).isEqualTo(planned);
      assertThat(file.get("data_path").asString()).isEqualTo(path);
      assertThat(file.get("replicas").asInt()).isEqualTo(planned.size());
      assertThat(names(cluster.get(component.confKey()).get("hosts"), "")).isEqualTo(planned);
      assertThat(cluster.get(component.confKey()).get("data_path").asString()).isEqualTo(path);
    }
    assertThat(Yaml.mapping(files.get("proton_redis.yaml")).orElseThrow().get("password").asString())
        .isEqualTo("redis-Pa55");
    Map<String, String> cliConfig = lab.secret("proton", CLI_CONFIG).getData();
    assertThat(cliConfig.get("ssh-password")).isEqualTo(cliConfigBefore.get("ssh-password"));
    assertThat(run.isSecret("secret/proton/" + CLI_CONFIG)).isTrue();
    assertThat(run.isSecret("secret/resource/" + COMPONENTS)).isTrue();
    Secret kept = lab.client().getKubernetesSerialization().unmarshal(run.recorded("secret/resource/" + COMPONENTS)
        .orElseThrow(), Secret.class);
    assertThat(kept.getData()).isEqualTo(componentsBefore);
    assertShowsNoCredential(String.join("\n", context.log()));
  }

  @Test
  @Order(9)
  void runningTheRewriteAgainChangesNothingAndKeepsTheOriginal() {
    String version = lab.secret("resource", COMPONENTS).getMetadata().getResourceVersion();
    Map<String, String> rewritten = lab.secret("resource", COMPONENTS).getData();
    RecordingStepContext context = context("rewrite-secrets.rewrite", Map.of("rows", APlan.rows(lab.seed)));

    assertThat(lab.rewriteSecrets.execute(context)).isEqualTo("the Secrets are already as planned: nothing rewritten");

    assertThat(lab.secret("resource", COMPONENTS).getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(lab.secret("resource", COMPONENTS).getData()).isEqualTo(rewritten);
    assertThat(context.infos()).contains("Secret proton/" + CLI_CONFIG + " was kept by an earlier attempt: "
        + "that original stays the backup");
    Secret kept = lab.client().getKubernetesSerialization().unmarshal(run.recorded("secret/resource/" + COMPONENTS)
        .orElseThrow(), Secret.class);
    assertThat(kept.getData()).isEqualTo(componentsBefore);
  }

  @Test
  @Order(10)
  void theRestorePutsTheOriginalsBackExactly() {
    Secret componentsOriginal = lab.client().getKubernetesSerialization()
        .unmarshal(run.recorded("secret/resource/" + COMPONENTS).orElseThrow(), Secret.class);
    RecordingStepContext context = context("rewrite-secrets.restore", Map.of());

    assertThat(lab.restoreSecrets.execute(context))
        .isEqualTo("restored resource/" + COMPONENTS + ", proton/" + CLI_CONFIG);

    Secret components = lab.secret("resource", COMPONENTS);
    assertThat(components.getData()).isEqualTo(componentsBefore);
    assertThat(components.getType()).isEqualTo(componentsOriginal.getType());
    assertThat(components.getMetadata().getLabels()).isEqualTo(componentsOriginal.getMetadata().getLabels());
    assertThat(components.getMetadata().getAnnotations()).isEqualTo(componentsOriginal.getMetadata().getAnnotations());
    assertThat(lab.secret("proton", CLI_CONFIG).getData()).isEqualTo(cliConfigBefore);
    assertThat(run.isSettled("secret/resource/" + COMPONENTS)).isTrue();
    assertThat(run.isSettled("secret/proton/" + CLI_CONFIG)).isTrue();

    assertThat(lab.restoreSecrets.execute(context("rewrite-secrets.restore", Map.of())))
        .as("a settled backup is still there to restore from").startsWith("restored ");
    assertThat(lab.secret("proton", CLI_CONFIG).getData()).isEqualTo(cliConfigBefore);
    assertThatThrownBy(() -> lab.restoreSecrets.execute(new RecordingStepContext("x.restore", Map.of(), STEP,
        new InMemoryUndoRecords()))).isInstanceOf(StepFailedException.class)
        .hasMessage("the run kept no copy of Secret persist-component-manage-components (proton.secrets keeps one "
            + "before it rewrites): nothing was restored");

    lab.rewriteSecrets.execute(context("rewrite-secrets.rewrite", Map.of("rows", APlan.rows(lab.seed))));
    assertThat(run.isSettled("secret/resource/" + COMPONENTS)).as("recorded anew").isFalse();
  }

  @Test
  @Order(11)
  void removingANodeThatStillHostsAReplicaOrPlacingAnUnknownSectionIsRefused() {
    List<Map<String, Object>> keepsOne = APlan.rows(lab.seed, row -> {
      if (row.get("key").equals("kafka-0")) {
        row.put("target_node", "node-1");
      }
      return row;
    });
    assertThatThrownBy(() -> lab.applyConf.preview(finalConf(keepsOne))).isInstanceOf(StepFailedException.class)
        .hasMessage("node-1 is to be removed, but the plan keeps kafka replica 0 on it; nothing was edited");

    List<Map<String, Object>> unknown = new ArrayList<>(APlan.rows(lab.seed));
    Map<String, Object> extra = new LinkedHashMap<>(unknown.get(0));
    extra.put("key", "ghost-0");
    extra.put("conf_key", "ghost");
    unknown.add(extra);
    RecordingStepContext context = context("reinstall.apply", finalConf(unknown));
    assertThatThrownBy(() -> lab.applyConf.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("the configuration has no section ghost (conf_key of the plan's rows); nothing was edited");
    assertThat(context.actions()).containsExactly("node-4: proton-cli get conf (output kept out of the log: "
        + "it holds credentials)");
  }

  @Test
  @Order(12)
  void theFinalApplyPlacesTheComponentsRemovesTheOldNodesAndRetriesKubesuiteOnce() throws Exception {
    lab.uninstallEverything();
    Map<String, Object> params = finalConf(APlan.rows(lab.seed));
    StepPreview preview = lab.applyConf.preview(params);
    assertThat(changedLines(preview.diff())).contains("-  - name: node-1", "-    - node-3")
        .allMatch(line -> line.startsWith("-"));
    RecordingStepContext context = context("reinstall.apply", params);

    assertThat(lab.applyConf.execute(context)).isEqualTo("applied " + CURRENT + " on node-4 at the second attempt: "
        + "6 changes");

    assertThat(context.lines("err")).anyMatch(line -> line.contains("[kubesuite] error: remove etcd member node-1"));
    assertThat(context.infos()).anyMatch(line -> line.startsWith("proton-cli apply failed with 'kubesuite' in its "
        + "output") && line.endsWith("running it once more"));
    assertThat(context.actions()).contains("node-4: proton-cli apply -f " + CURRENT + " -p ****** (second attempt)");
    ObjectNode conf = conf();
    assertThat(names(conf.get("nodes"), "name")).containsExactlyElementsOf(APlan.NEW_NODES);
    assertThat(names(conf.get("cs").get("master"), "")).containsExactlyElementsOf(APlan.NEW_NODES);
    for (var component : lab.seed.components()) {
      assertThat(names(conf.get(component.confKey()).get("hosts"), ""))
          .isEqualTo(component.nodes().stream().map(APlan.MOVES::get).toList());
    }
    assertThat(conf.get("zookeeper").get("data_path").asString()).isEqualTo(APlan.ZOOKEEPER_PATH);
    assertThat(lab.client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(APlan.NEW_NODES);
    assertThat(lab.client().apps().statefulSets().inNamespace("resource").withName("kafka").get()).isNotNull();
    assertShowsNoCredential(String.join("\n", context.log()) + preview.diff());
  }

  @Test
  @Order(13)
  void aFailedApplyEndsTheStepWithProtonCliLastLinesAndIsRetriedOnlyWhenItNamesRetryOn() {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("node", "node-4", "file", CURRENT,
        "password", "wr0ng-Passw0rd"));
    RecordingStepContext context = context("reinstall.apply", params);

    assertThatThrownBy(() -> lab.applyConf.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("proton-cli apply -f " + CURRENT + " on node-4 failed (exit 1): Error: failed to "
            + "connect to node-4 (127.0.10.4:22): ssh: handshake failed")
        .message().doesNotContain("wr0ng-Passw0rd");
    assertThat(context.actions()).filteredOn(a -> a.contains("proton-cli apply")).hasSize(1);

    params.put("retry_on", "unable to authenticate");
    RecordingStepContext retried = context("reinstall.apply", params);
    assertThatThrownBy(() -> lab.applyConf.execute(retried)).hasMessageEndingWith("(at the second attempt)");
    assertThat(retried.actions()).filteredOn(a -> a.contains("proton-cli apply")).hasSize(2);
    assertThat(String.join("\n", context.log()) + String.join("\n", retried.log())).doesNotContain("wr0ng-Passw0rd");
  }
}
