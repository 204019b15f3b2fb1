package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only modes P1's first phase runs ({@code check: true}) on the lab, whose nodes' SSH
 * servers check root's password and whose proton-cli checks the password given with {@code -p}:
 * the edits of phases 7 and 13 worked out and the plan's password tried on every node proton-cli
 * apply reaches, the rewrite of phase 8 worked out, the helm releases of phase 9 looked up with
 * {@code --dry-run}; a wrong password refused naming the nodes and shown nowhere; nothing changed in
 * any case.
 */
class ProtonChecksOnTheLabTest {

  static final Duration STEP = Duration.ofMinutes(2);
  static final String WRONG = "not-the-root-Passw0rd";
  static final String COMPONENTS = "persist-component-manage-components";

  @TempDir static Path state;
  static ProtonLab lab;

  @BeforeAll
  static void startTheLab() {
    lab = ProtonLab.start(state);
  }

  @AfterAll
  static void stopTheLab() {
    lab.close();
  }

  static Map<String, Object> addNodesChecked(String password) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("node", "node-1");
    params.put("add_nodes", APlan.NEW_NODES);
    params.put("password", password);
    params.put("check", true);
    return params;
  }

  static RecordingStepContext context(String step, Map<String, Object> params) {
    return new RecordingStepContext(step, params, STEP, new InMemoryUndoRecords());
  }

  @Test
  void theAdditionIsCheckedAndThePasswordTriedOnEveryNodeProtonCliReachesChangingNothing() throws Exception {
    String before = lab.conf();
    RecordingStepContext context = context("prepare.conf-add-nodes", addNodesChecked(ProtonLab.PASSWORD));

    String summary = lab.applyConf.execute(context);

    assertThat(summary).isEqualTo("checked on node-1: the configuration takes the edit (6 changes), and the plan's "
        + "root password opens all 6 nodes proton-cli apply reaches (node-1, node-2, node-3, node-4, node-5, node-6);"
        + " nothing was written or applied");
    assertThat(context.actions()).contains("node-1: proton-cli get conf (output kept out of the log: it holds "
        + "credentials)", "node-4: log in as root with the plan's password (******, host key pinned) and run true");
    assertThat(context.actions()).filteredOn(a -> a.contains("log in as root")).hasSize(6);
    assertThat(context.actions()).noneMatch(a -> a.contains("apply") || a.contains("tee") || a.contains("mkdir"));
    assertThat(lab.conf()).as("nothing applied").isEqualTo(before);
    assertThat(Files.exists(lab.file("node-1", "/root/lockstep"))).as("nothing written").isFalse();
    ProtonStepsOnTheLabTest.assertShowsNoCredential(String.join("\n", context.log()) + summary);
  }

  @Test
  void aWrongPasswordIsRefusedNamingTheNodesBeforeAnythingChangesAndIsShownNowhere() {
    String before = lab.conf();
    RecordingStepContext context = context("prepare.conf-add-nodes", addNodesChecked(WRONG));

    assertThatThrownBy(() -> lab.applyConf.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("the root password of the plan was refused by node-1 (127.0.10.1:"
            + lab.nodes.sshPort() + "), node-2 (127.0.10.2:" + lab.nodes.sshPort() + ")")
        .hasMessageContaining("node-6 (127.0.10.6:" + lab.nodes.sshPort() + "): proton-cli apply -p would fail")
        .hasMessageEndingWith("nothing was changed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG).doesNotContain(ProtonLab.PASSWORD));

    assertThat(context.infos()).contains("node-3 (127.0.10.3:" + lab.nodes.sshPort() + "): the password was refused "
        + "for root (root@node-3: authentication failed (password))");
    assertThat(String.join("\n", context.log())).doesNotContain(WRONG).doesNotContain(ProtonLab.PASSWORD);
    assertThat(lab.conf()).isEqualTo(before);
  }

  @Test
  void thePreviewOfTheCheckNamesTheNodesWhoseLoginIsTriedAndNoPassword() {
    StepPreview preview = lab.applyConf.preview(addNodesChecked(WRONG));

    assertThat(preview.diff()).isNull();
    assertThat(preview.actions()).contains("edit: added node-4 under .nodes with ip4 127.0.10.4",
        "log in as root with the plan's password (never shown), host keys pinned, to every node proton-cli apply "
            + "reaches — node-1, node-2, node-3, node-4, node-5, node-6 (.nodes of the edited configuration) — and run "
            + "true on each: a refused password fails the step naming the node",
        "check only: nothing is written, nothing applied");
    assertThat(String.join("\n", preview.actions())).doesNotContain(WRONG);
  }

  /** The same preview for a Chinese reader: the console's words in Chinese, names, paths and commands as they are. */
  @Test
  void thePreviewOfTheCheckReadsInChinese() {
    StepPreview preview = lab.applyConf.preview(addNodesChecked(WRONG));
    org.springframework.context.support.ResourceBundleMessageSource messages =
        new org.springframework.context.support.ResourceBundleMessageSource();
    messages.setBasenames("messages-run");
    messages.setDefaultEncoding("UTF-8");
    java.util.Locale zh = java.util.Locale.forLanguageTag("zh-CN");
    List<String> shown = preview.lines().stream().map(l -> messages.getMessage(l.in(zh), zh)).toList();

    assertThat(shown).contains("编辑：在 .nodes 下添加 node-4，ip4 为 127.0.10.4", "编辑：在 .cs.master 下添加 node-4",
        "只检查：不写入任何内容，不应用任何内容").hasSameSizeAs(preview.actions())
        .allMatch(l -> l.matches("(?s).*[\\u4e00-\\u9fff].*"), "Chinese")
        .noneMatch(l -> l.contains("added") || l.contains("check only") || l.contains("log in as"));
    assertThat(String.join("\n", shown)).doesNotContain(WRONG);
  }

  @Test
  void theFinalEditIsCheckedWithoutAPasswordAndChangesNothing() throws Exception {
    String before = lab.conf();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("node", "node-1");
    params.put("rows", APlan.rows(lab.seed));
    params.put("remove_nodes", APlan.OLD_NODES);
    params.put("check", true);
    RecordingStepContext context = context("prepare.conf-move", params);

    assertThat(lab.applyConf.execute(context)).startsWith("checked on node-1: the configuration takes the edit (")
        .endsWith("); nothing was written or applied");

    assertThat(context.actions()).containsExactly("node-1: proton-cli get conf (output kept out of the log: it holds "
        + "credentials)");
    assertThat(lab.conf()).isEqualTo(before);
  }

  @Test
  void theRewriteOfTheSecretsIsCheckedKeepingAndChangingNothing() {
    Map<String, String> before = lab.secret("resource", COMPONENTS).getData();
    RecordingStepContext context = context("prepare.secrets-rewritable", Map.of("rows", APlan.rows(lab.seed),
        "check", true));

    assertThat(lab.rewriteSecrets.execute(context)).isEqualTo("the Secrets resource/" + COMPONENTS
        + ", proton/proton-cli-config take the plan's rewrite (13 keys to rewrite); nothing was changed");

    assertThat(context.records().recorded()).as("nothing kept").isEmpty();
    assertThat(context.actions()).isEmpty();
    assertThat(lab.secret("resource", COMPONENTS).getData()).isEqualTo(before);
    ProtonStepsOnTheLabTest.assertShowsNoCredential(String.join("\n", context.log()));
  }

  @Test
  void aRewriteTheSecretsWouldRefuseIsRefusedByTheCheckToo() {
    Map<String, Object> params = Map.of("check", true, "rows", APlan.rows(lab.seed, row -> {
      if (row.get("key").equals("kafka-0")) {
        row.put("source_node", "node-2");
      }
      return row;
    }));

    assertThatThrownBy(() -> lab.rewriteSecrets.execute(context("prepare.secrets-rewritable", params)))
        .isInstanceOf(StepFailedException.class).hasMessageContaining("kafka has hosts node-1, node-2, node-3");
    assertThat(lab.rewriteSecrets.preview(Map.of("check", true, "rows", APlan.rows(lab.seed))).actions())
        .contains("check only: the Secrets are found and the plan's rewrite worked out; nothing is kept or replaced");
  }

  @Test
  void helmsDryRunFindsTheReleasesAndUninstallsNothingOrNamesTheMissingOne() throws Exception {
    List<String> out = new ArrayList<>();
    var target = lab.shell.target("node-1", "127.0.10.1");
    var found = lab.shell.exec(target, RemoteCommand.of("helm3", "-n", "resource", "delete", "--dry-run",
        "kafka", "grafana"), STEP, (stream, line) -> out.add(stream + " " + line));
    assertThat(found.exitStatus()).isZero();
    assertThat(out).containsExactly("STDOUT release \"kafka\" uninstalled", "STDOUT release \"grafana\" uninstalled");
    assertThat(lab.client().secrets().inNamespace("resource").withLabel("name", "kafka").list().getItems())
        .as("still installed").isNotEmpty();

    out.clear();
    var missing = lab.shell.exec(target, RemoteCommand.of("helm3", "-n", "resource", "delete",
        "--dry-run", "kafka", "no-such-release"), STEP, (stream, line) -> out.add(stream + " " + line));
    assertThat(missing.exitStatus()).isEqualTo(1);
    assertThat(out).contains("STDERR Error: uninstall: Release not loaded: no-such-release: release: not found");
  }

  @Test
  void checkIsTrueOrFalse() {
    Map<String, Object> params = new LinkedHashMap<>(addNodesChecked(WRONG));
    params.put("check", "maybe");
    assertThatThrownBy(() -> ApplyConf.Request.from(params)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("proton.conf: param 'check' must be true or false");
    params.put("check", false);
    assertThatThrownBy(() -> ApplyConf.Request.from(params)).hasMessage("proton.conf: param 'file' is missing");
  }
}
