package io.lockstep.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.Actor;
import io.lockstep.run.Plan;
import io.lockstep.run.Plans;
import io.lockstep.run.Run;
import io.lockstep.run.RunStep;
import io.lockstep.run.Runs;
import io.lockstep.system.Role;
import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.ssh.NodeShell;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.LabNodeShell;
import io.lockstep.testing.PdfText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Walks every page and the run PDF in zh-CN after a lab run (demo-node-check, approved and confirmed
 * to the end) and fails, page by page, on English left: a word of Latin letters that is not a proper
 * name, id, command or unit (the allow-list below). Text marked {@code lang="en"} (recorded evidence
 * such as audit summaries) and code ({@code code}, {@code pre}, {@code .ls-mono}, log lines) are
 * not read. What it found goes to {@code target/zh-walker.txt}, page by page, with the text around.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChineseWalkerBrowserIT extends LabConsoleTest {

  static final Path REPORT = Path.of("target/zh-walker.txt");
  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  /** Proper names, product and protocol names, units: these stay in Latin letters in Chinese too. */
  static final Set<String> ALLOWED = Set.copyOf(List.of("lockstep", "kubernetes", "proton", "ssh", "api", "rest", "pdf", "csv",
      "json", "utc", "en", "zh", "cn", "deployment", "deployments", "statefulset", "daemonset", "kubelet", "etcd",
      "mysql", "kosmos", "rsync", "ipmi", "bmc", "vm", "vms", "pv", "pvc", "cr", "crd", "k8s", "id", "ids", "ok",
      "kib", "mib", "gib", "tib", "b", "s", "ms", "m", "h", "d", "gluster", "glusterfs", "systemd", "systemctl",
      "helm", "sha256", "hmac", "http", "https", "url", "cpu", "io", "os", "ip", "dns", "tls", "yaml", "yml",
      "noto", "sans", "sc", "ofl", "anyshare", "webhook", "htmx", "sse",
      // Kubernetes kinds and terms as operators write them in Chinese too
      "pod", "pods", "service", "secret", "secrets", "operator", "namespace", "configmap",
      // commands and their words, SQL, units (in procedure texts)
      "root", "kubectl", "mkdir", "apply", "sysvol", "kb", "select", "show", "into", "for", "update", "lock", "in",
      "share", "mode", "sleep", "benchmark", "uninstalled", "mariadb", "mongodb", "nebula", "kafka", "zookeeper",
      "prometheus", "grafana", "lab", "manual",
      // node roles and tools the shipped procedures name in their Chinese texts
      "master", "worker", "docker", "hypervisor", "islet", "fleet", "fleetctl", "fping", "gluster", "glusterd",
      "glusterfs", "glusterfsd", "pkill", "poweroff", "mount", "umount", "ipmitool", "acpi", "dhcp", "kubesuite",
      "resource", "df", "lnet",
      // a Pod's phase as Kubernetes writes it
      "succeeded",
      // parameter names and literal values the procedures' Chinese texts quote
      "nodes", "none",
      // the lab's machine names (ids without a digit)
      "bastion"));
  /**
   * The audit trail's event types (REFUSED, PHASE_APPROVED): identifiers shown beside their name, as
   * written in exports and the API, like a command.
   */
  static final Set<String> AUDIT_TYPES = auditTypes();

  private static Set<String> auditTypes() {
    java.util.Properties messages = new java.util.Properties();
    try (var in = Files.newInputStream(Path.of("src/main/resources/messages.properties"))) {
      messages.load(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return messages.stringPropertyNames().stream().filter(k -> k.startsWith("audit.type."))
        .map(k -> k.substring("audit.type.".length())).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** A command with its words (systemctl stop, kubectl get nodes, gluster peer status): not read. */
  private static final Pattern COMMAND = Pattern.compile(
      "\\b(?:systemctl|kubectl|gluster|clush|ipmitool|helm3?|proton-cli|chassis|heal)\\b[ a-z0-9_./=-]*");
  /** A kind or product name written in CamelCase (MysqlCluster, RDSMariaDBCluster): a proper name. */
  private static final Pattern CAMEL = Pattern.compile("[A-Za-z]+[a-z][A-Z][A-Za-z]*");
  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z']+");
  /** The visible text of a page, minus code, evidence marked lang=en, and form values. */
  private static final String VISIBLE_TEXT = """
      const chrome = arguments[0];
      const testOnly = arguments[1];
      const skip = el => el.closest('script,style,code,pre,textarea,.ls-mono,.ls-log-line,[lang=en],[translate=no],[hidden]')
          || (!chrome && el.closest('nav.navbar')) || (chrome && !el.closest('nav.navbar'))
          || testOnly.some(id => el.closest('[data-procedure="' + id + '"]'));
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent.replace(/\\s+/g, ' ').trim();
        if (t && !skip(n.parentElement)) out.push(t);
      }
      document.querySelectorAll('[placeholder],[aria-label],[data-confirm]').forEach(el => {
        if (!skip(el)) ['placeholder', 'aria-label', 'data-confirm'].forEach(a => el.getAttribute(a) && out.push(el.getAttribute(a)));
      });
      return out;""";

  @LocalServerPort
  int port;

  @Autowired
  Plans plans;

  @Autowired
  Runs runs;

  @Autowired
  NodeShell nodeShell;

  private Browser browser;
  private String runId;
  private String planId;
  private final Map<String, List<String>> found = new LinkedHashMap<>();
  /** What the run's executors and people wrote (summaries, commands, exits, titles): kept as written. */
  private final List<String> produced = new ArrayList<>();

  @BeforeAll
  void aLabRunToTheEnd() throws IOException {
    Plan plan = plans.create(OP1, "demo-node-check", "walker", Map.of(), null);
    planId = plan.id();
    runId = runs.request(OP1, plan.id()).id();
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(runId).state() == Run.State.AWAITING_APPROVAL);
    for (String phase : List.of("check-nodes", "stop-app", "maintenance", "start-app")) {
      runs.approve(AP1, runId, phase, "ok", plan.hash());
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> runs.get(runId).steps().stream()
        .anyMatch(s -> s.state() == RunStep.State.WAITING));
    RunStep manual = runs.get(runId).steps().stream().filter(s -> s.state() == RunStep.State.WAITING).findFirst()
        .orElseThrow();
    Files.deleteIfExists(REPORT);
    browser = new Browser("http://localhost:" + port);
    browser.logIn("op1", DEMO_PASSWORD);
    browser.open("/?lang=zh-CN");
    // the run page while its checklist waits for op1: the instructions and the items to tick
    produced.add(plan.title());
    producedBy(runId);
    whileTheChecklistWaits = englishOn("/runs/" + runId);
    runs.confirm(OP1, runId, manual.key(), 99);
    await().atMost(Duration.ofMinutes(2)).until(() -> runs.get(runId).isFinal());
    producedBy(runId);
  }

  private List<String> whileTheChecklistWaits;

  @Order(1)
  @Test
  void theRunPageWhileItsChecklistWaitsHasNoEnglishLeft() {
    assertThat(whileTheChecklistWaits).as("English left on the run page while its checklist waits (see " + REPORT + ")")
        .isEmpty();
  }

  /** What a run's executors wrote (summaries, commands, exits, step keys, undo keys): kept as written. */
  private void producedBy(String id) {
    for (RunStep step : runs.get(id).steps()) {
      if (step.said() != null && step.said().key() == null) {
        produced.add(step.summary());
      }
      produced.add(step.key()); // a PDF column wraps check-nodes.disk-space into "check-nodes.disk-" and "space"
      produced.add(step.lastAction());
      produced.add(step.lastExit());
      if (step.lastAction() != null && step.lastExit() != null) {
        produced.add(step.lastAction() + " → " + step.lastExit());
      }
    }
    runs.undoRecords(id).forEach(u -> produced.add(u.key()));
    produced.removeIf(t -> t == null || t.isBlank());
  }

  @AfterAll
  void close() {
    if (browser != null) {
      browser.close();
    }
  }

  @SuppressWarnings("unchecked")
  private List<String> englishOn(String path) throws IOException {
    return englishOn(path, false);
  }

  @SuppressWarnings("unchecked")
  private List<String> englishOn(String path, boolean chrome) throws IOException {
    browser.open(path);
    WebDriver driver = browser.driver();
    List<String> texts = (List<String>) ((JavascriptExecutor) driver).executeScript(VISIBLE_TEXT, chrome, testProcedures());
    return report(path, texts);
  }

  private List<String> report(String where, List<String> texts) throws IOException {
    List<String> english = new ArrayList<>();
    for (String text : texts) {
      if (isProduced(text)) {
        continue;
      }
      String read = text;
      for (String p : produced) {
        read = read.replace(p, " ");
      }
      read = COMMAND.matcher(read).replaceAll(" ");
      for (String token : read.split("[\\s\\u3000-\\u303f\\uff00-\\uffef·—…|/]+")) {
        // a leading . / - ${ makes a path, option or key: only quotes and brackets are taken off
        String bare = token.replaceAll("^[\"'(\\[“‘（]+|[\\p{Punct}“”‘’）]+$", "");
        // ids, commands, paths, versions and numbers carry digits, dashes, dots or slashes
        if (bare.isEmpty() || !WORD.matcher(bare).matches() || ALLOWED.contains(bare.toLowerCase(Locale.ROOT))
            || CAMEL.matcher(bare).matches() || AUDIT_TYPES.contains(bare)) {
          continue;
        }
        english.add(bare + "  ← «" + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "»");
      }
    }
    found.put(where, english);
    StringBuilder out = new StringBuilder("== " + where + ": " + english.size() + " English word(s)\n");
    english.stream().distinct().forEach(e -> out.append("   ").append(e).append('\n'));
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.print(out);
    return english;
  }

  /** Procedures only the tests load (src/test/resources): their texts are fixtures, not the console's. */
  private static List<String> testProcedures() throws IOException {
    List<String> shipped = new ArrayList<>();
    try (var files = Files.list(Path.of("config/procedures"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Files.readAllLines(f).stream().filter(l -> l.startsWith("id:")).forEach(l -> shipped.add(l.substring(3).strip()));
      }
    }
    List<String> test = new ArrayList<>();
    try (var files = Files.walk(Path.of("src/test/resources"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Files.readAllLines(f).stream().filter(l -> l.startsWith("id:")).map(l -> l.substring(3).strip())
            .filter(id -> !shipped.contains(id)).forEach(test::add);
      }
    }
    return test;
  }

  /** A segment (a text node, or a PDF line) that is part of what an executor or person wrote. */
  private boolean isProduced(String text) {
    String squeezed = PdfText.squeeze(text);
    return !squeezed.isEmpty() && produced.stream().anyMatch(p -> PdfText.squeeze(p).contains(squeezed));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/audit", "/inventory", "/procedures", "/tokens"})
  void pagesOfTheI18nPartHaveNoEnglishLeft(String path) throws IOException {
    assertThat(englishOn(path)).as("English left on " + path + " (see " + REPORT + ")").isEmpty();
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "/plans", "/plans/new?procedure=demo-node-check", "/plans/{plan}", "/migration/new",
      "/runs", "/runs/{run}"})
  void otherPagesHaveNoEnglishLeft(String path) throws IOException {
    String page = path.replace("{plan}", planId).replace("{run}", runId);
    assertThat(englishOn(page)).as("English left on " + page + " (see " + REPORT + ")").isEmpty();
  }

  @Order(3)
  @Test
  void theRunPdfHasNoEnglishLeft() throws IOException {
    byte[] pdf = new ConsoleClient(port).bytesAs("op1", DEMO_PASSWORD, "/api/runs/" + runId + "/audit.pdf?lang=zh-CN")
        .body();
    String text = PdfText.of(pdf).text();
    // the events table (from its first column header on) is recorded evidence, kept as written
    int events = text.indexOf("序号");
    List<String> lines = List.of((events < 0 ? text : text.substring(0, events)).split("\n"));
    assertThat(report("run PDF " + runId, lines)).as("English left in the run PDF (see " + REPORT + ")").isEmpty();
  }

  @Order(3)
  @Test
  void theNavigationBarHasNoEnglishLeft() throws IOException {
    assertThat(englishOn("/", true)).as("English left in the layout's navigation bar (see " + REPORT + ")").isEmpty();
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/kubernetes/api-status", "/audit/verify", "/runs/no-such-run", "/plans/no-such-plan",
      "/plans/new?procedure=restart-cluster", "/plans/new?procedure=restart-master-node",
      "/plans/new?procedure=restart-worker-node", "/plans/new?procedure=restart-vm-cluster",
      "/plans/new?procedure=move-mysql-kosmos"})
  void lessVisitedPagesHaveNoEnglishLeft(String path) throws IOException {
    assertThat(englishOn(path)).as("English left on " + path + " (see " + REPORT + ")").isEmpty();
  }

  /** What an approver reads before approving: every phase's preview of the walked run. */
  @Order(2)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"check-nodes", "stop-app", "maintenance", "start-app"})
  void everyPhasePreviewHasNoEnglishLeft(String phase) throws IOException {
    String path = "/runs/" + runId + "/phases/" + phase + "/preview";
    assertThat(englishOn(path)).as("English left on " + path + " (see " + REPORT + ")").isEmpty();
  }

  /**
   * A run stopped on a failed step (kubelet stopped on node-2 before its check), then aborted with the
   * failure still there: the pages people read at the worst moment of a night.
   */
  @Order(2)
  @Test
  void aFailedAndThenAbortedRunHasNoEnglishLeft() throws IOException {
    LabNodeShell shell = new LabNodeShell(nodeShell);
    Plan plan = plans.create(OP1, "demo-node-check", "walker failing", Map.of(), null);
    shell.run("node-2", 0, "systemctl", "stop", "kubelet");
    String failed;
    try {
      failed = runs.request(OP1, plan.id()).id();
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(failed).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(AP1, failed, "check-nodes", "ok", plan.hash());
      await().atMost(Duration.ofMinutes(2)).until(() -> runs.get(failed).state().isStoppedOnStep());
      producedBy(failed);
      produced.add(plan.title());
      List<String> english = new ArrayList<>(englishOn("/runs/" + failed));
      // in Chromium: the header says what op1 (operator, requester) may do and who may skip
      var head = browser.driver().findElement(org.openqa.selenium.By.id("run-headline"));
      assertThat(head.getAttribute("data-kind")).isEqualTo("DECISION");
      assertThat(browser.textOf(org.openqa.selenium.By.cssSelector("#run-headline .run-says")))
          .contains("你可以重试或中止").contains("ap1");
      english.addAll(englishOn("/"));
      assertThat(english).as("English left on a failed run's pages (see " + REPORT + ")").isEmpty();
    } finally {
      shell.run("node-2", 0, "systemctl", "start", "kubelet");
    }
    runs.abort(OP1, failed, "kubelet was stopped on purpose");
    await().atMost(Duration.ofMinutes(1)).until(() -> runs.get(failed).isFinal());
    produced.add("kubelet was stopped on purpose");
    assertThat(englishOn("/runs/" + failed)).as("English left on an aborted run (see " + REPORT + ")").isEmpty();
  }

  @Order(2)
  @Test
  void aPausedRunHasNoEnglishLeft() throws IOException {
    Plan plan = plans.create(OP1, "demo-node-check", "walker paused", Map.of(), null);
    String paused = runs.request(OP1, plan.id()).id();
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(paused).state() == Run.State.AWAITING_APPROVAL);
    runs.pause(OP1, paused);
    produced.add(plan.title());
    try {
      assertThat(englishOn("/runs/" + paused)).as("English left on a paused run (see " + REPORT + ")").isEmpty();
    } finally {
      runs.abort(OP1, paused, "walked");
    }
  }

  private static final Pattern REFUSAL = Pattern.compile("class=\"refusal-text[^\"]*\"[^>]*>([^<]*)<");

  /** Refused actions answer in the reader's language: an operator approving, moves on a finished run. */
  @Order(2)
  @Test
  void refusalsHaveNoEnglishLeft() throws IOException {
    ConsoleClient op1 = new ConsoleClient(port);
    op1.logIn("op1", DEMO_PASSWORD);
    op1.page("/runs/" + runId + "?lang=zh-CN");
    String hash = plans.get(planId).hash();
    List<String> refusals = new ArrayList<>();
    for (String[] tried : List.of(
        new String[] {"/phases/check-nodes/approve", "comment=ok&planHash=" + hash},
        new String[] {"/pause", ""},
        new String[] {"/resume", ""},
        new String[] {"/abort", "reason=late"},
        new String[] {"/steps/maintenance.operator-check/confirm", "checked=a"},
        new String[] {"/steps/no-such.step/retry", ""})) {
      String answer = op1.htmxPost("/runs/" + runId, "/runs/" + runId + tried[0], tried[1]).body();
      Matcher m = REFUSAL.matcher(answer);
      assertThat(m.find()).as("a refusal for " + tried[0] + " in " + answer.substring(0, Math.min(300, answer.length())))
          .isTrue();
      refusals.add(HtmlUtils.htmlUnescape(m.group(1)).strip());
    }
    assertThat(report("refusals", refusals)).as("English left in refusals (see " + REPORT + "): " + refusals).isEmpty();
  }

  @Order(4)
  @Test
  void theLoginPageHasNoEnglishLeft() throws IOException {
    browser.logOut();
    browser.open("/login?lang=zh-CN");
    assertThat(englishOn("/login")).as("English left on /login (see " + REPORT + ")").isEmpty();
  }
}
