package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.util.HtmlUtils;

/**
 * What a Chinese-first operator reads on the run page of a run that waits for its next attempt, that
 * stopped at a failed guard with one override signed, and after a refused action: the console's own
 * words in Chinese, with full-width punctuation next to Chinese text (the zh-CN walker's run never
 * retries, never fails a guard and never gets refused, and it does not read the {@code .ls-mono} line
 * "last action: …").
 */
class ChineseRunStatusConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Actor LEAD = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CJK = "[\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]";
  /** An ASCII : ( ) , ; right after a Chinese character, or ( right before one. */
  private static final Pattern ASCII_PUNCTUATION = Pattern.compile(CJK + "\\s*[:(),;]|\\(\\s*" + CJK);

  private final Plans plans;
  private final Runs runs;
  private final int port;

  @Autowired
  ChineseRunStatusConsoleTest(Plans plans, Runs runs, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.port = port;
  }

  private final List<String> started = new java.util.ArrayList<>();

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  /** A failed assertion leaves no run of this class waiting (other classes count what waits). */
  @AfterEach
  void abortWhatIsLeft() {
    for (String id : started) {
      if (!runs.get(id).isFinal()) {
          }
    }
    started.clear();
  }

  private String requested(Actor by, Plan plan) {
    String id = runs.request(by, plan.id()).id();
    started.add(id);
    return id;
  }

  private String started(String tag) {
    Plan plan = plans.create(OP1, "retry-test", "zh " + tag, Map.of("tag", tag), null);
    String id = requested(OP1, plan);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "go", plan.hash());
    return id;
  }

  private static String gate(String step, String tag, String id) {
    return step + "-" + tag + "-" + id;
  }

  private RunStep step(String id, String key) {
    return runs.get(id).step(key).orElseThrow();
  }

  /** The text of the first element with {@code cssClass} on the page, tags taken out. */
  private static String textOf(String page, String cssClass) {
    Matcher m = Pattern.compile("class=\"[^\"]*\\b" + Pattern.quote(cssClass) + "\\b[^\"]*\"[^>]*>(.*?)</div>",
        Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("the page shows ." + cssClass).isTrue();
    return HtmlUtils.htmlUnescape(m.group(1).replaceAll("<[^>]+>", "")).replaceAll("\\s+", " ").strip();
  }

  private static String visibleText(String page) {
    String body = page.replaceAll("(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->", " ");
    return HtmlUtils.htmlUnescape(body.replaceAll("<[^>]+>", " ")).replaceAll("\\s+", " ");
  }

  @Test
  void aRetryWaitReadsInChineseAndItsCountdownStillHasSomethingToCount() {
    String id = started("zhwait");
    for (String s : List.of("flaky", "bounded")) {
      TestSteps.open(gate(s, "zhwait", id));
    }
    String slow = gate("slow", "zhwait", id);
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);
    TestSteps.FAILURES.put(slow, "not yet");
    TestSteps.open(slow);
    await().atMost(WAIT).until(() -> step(id, "one.slow").waitingForNextAttempt());

    // both read at once, while the step still waits (its third and last attempt ends the waits)
    String page = reader.page("/runs/" + id + "?lang=zh-CN").body();
    String english = reader.page("/runs/" + id + "?lang=en").body();
    String status = textOf(page, "retry-status");
    assertThat(status).as("attempt n of N, next in Xs in Chinese").doesNotContainIgnoringCase("attempt")
        .doesNotContain("next in").containsPattern(CJK).containsPattern("[23]\\D+3\\D+\\d+s$");
    assertThat(page).as("run.js counts down an element holding only the seconds, whatever the language")
        .containsPattern("data-next-attempt-at=\"[^\"]+\"").containsPattern("class=\"retry-left\"[^>]*>\\s*\\d+s\\s*<");
    assertThat(visibleText(page)).as("the run page in Chinese uses full-width punctuation next to Chinese text")
        .doesNotContainPattern(ASCII_PUNCTUATION);

    assertThat(textOf(english, "retry-status")).matches("attempt [23] of 3\\D+\\d+s");
  }

  @Test
  void aSignedGuardOverrideReadsInChinese() {
    String id = started("zhguard");
    for (String s : List.of("flaky", "bounded", "slow")) {
      TestSteps.open(gate(s, "zhguard", id));
    }
    runs.approve(AP1, id, "two", "go", plans.get(runs.get(id).planId()).hash());
    String guard = gate("guard", "zhguard", id);
    TestSteps.FAILURES.put(guard, "stopping etcd on node-2 would break the quorum");
    TestSteps.open(guard);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.FAILED);
    runs.override(LEAD, id, "two.quorum", "{0} it's <b>checked</b>");
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);

    String status = textOf(reader.page("/runs/" + id + "?lang=zh-CN").body(), "override-status");
    assertThat(status).as("the override's status in Chinese, the reason as written")
        .doesNotContain("override signed by").doesNotContain("second approver")
        .contains("lead").contains("{0} it's <b>checked</b>");
    assertThat(textOf(reader.page("/runs/" + id + "?lang=en").body(), "override-status"))
        .isEqualTo("override signed by lead ({0} it's <b>checked</b>); a second approver must sign");
  }

  /** A time in UTC written straight into a cell, not in a {@code <time>}: localtime.js cannot show it locally. */
  private static final Pattern BARE_UTC = Pattern.compile("<(?!time)(\\w+)[^>]*>\\s*\\(?\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d(:\\d\\d)?Z");

  @Test
  void theRunsListsShowWhenARunWasRequestedInTheReadersTimeZone() {
    Plan plan = plans.create(OP1, "retry-test", "zh times", Map.of("tag", "zhtimes"), null);
    String id = requested(OP1, plan);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);
    for (String path : List.of("/?lang=zh-CN", "/runs?lang=zh-CN")) {
      String page = reader.page(path).body();
      assertThat(page).as(path + " lists the run").contains(id);
      assertThat(page).as(path + ": every instant is a <time datetime> (local time, UTC on hover)")
          .doesNotContainPattern(BARE_UTC);
    }
  }

  /** A plan the procedure refuses (a required secret left empty) says why in the reader's language. */
  @Test
  void aPlanSaveRefusedForItsValuesSaysWhyInChinese() {
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);
    reader.page("/plans/new?procedure=engine-test&lang=zh-CN");
    HttpResponse<String> refused = reader.htmxPost("/plans/new?procedure=engine-test",
        "/plans", "procedure=engine-test&title=zh&value.word=hi&value.password=&value.tag=a");
    String shown = textOf(refused.body(), "plan-error\" id=\"save-error");
    assertThat(shown).as("the save's problem next to Save, in the reader's language").containsPattern(CJK)
        .doesNotContainPattern("\\b(is|are|needs?|must|required|value|missing)\\b");
    Matcher field = Pattern.compile("class=\"help is-danger field-error\"[^>]*>([^<]*)<").matcher(refused.body());
    assertThat(field.find()).as("the problem next to its field").isTrue();
    assertThat(HtmlUtils.htmlUnescape(field.group(1))).as("next to the field too, in the reader's language")
        .containsPattern(CJK).contains("password").doesNotContainPattern("\\b(is|required|missing)\\b");
  }

  /**
   * A value the platform check refuses (P2 on a worker, P4 leaving a node out) says why next to its
   * field in the reader's language, the node names as written; English readers read the API's sentence.
   */
  @Test
  void aValueThePlatformCheckRefusesSaysWhyInChinese() {
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);
    reader.page("/plans/new?procedure=restart-master-node&lang=zh-CN");
    String worker = fieldError(reader.htmxPost("/plans/new?procedure=restart-master-node", "/plans",
        "procedure=restart-master-node&title=zh&value.node=node-5").body(), "node");
    assertThat(worker).containsPattern(CJK).contains("node-5").contains("不是主节点").contains("restart-worker-node")
        .doesNotContainPattern("\\b(is|not|label|procedure|stops)\\b");
    reader.page("/plans/new?procedure=restart-cluster&lang=zh-CN");
    String partial = fieldError(reader.htmxPost("/plans/new?procedure=restart-cluster", "/plans",
        "procedure=restart-cluster&title=zh&value.nodes=node-1,node-2,node-3,node-4,node-5&value.etcd_nodes=node-1,node-2,node-3")
        .body(), "nodes");
    assertThat(partial).containsPattern(CJK).contains("node-6").contains("partial_reason")
        .doesNotContainPattern("\\b(leaves|out|would|keep|running|every)\\b");
    reader.page("/plans/new?procedure=restart-master-node&lang=en");
    assertThat(fieldError(reader.htmxPost("/plans/new?procedure=restart-master-node", "/plans",
        "procedure=restart-master-node&title=en&value.node=node-5").body(), "node"))
        .contains("node-5 is not a master: it has no");
  }

  /** The problem shown next to the field of {@code parameter} in a plan form. */
  private static String fieldError(String html, String parameter) {
    int at = html.indexOf("data-parameter=\"" + parameter + "\"");
    assertThat(at).as("the form's field " + parameter).isNotNegative();
    Matcher field = Pattern.compile("class=\"help is-danger field-error\"[^>]*>([^<]*)<").matcher(html);
    assertThat(field.find(at)).as("a problem next to " + parameter + " in " + html.substring(at, Math.min(html.length(), at + 600)))
        .isTrue();
    return HtmlUtils.htmlUnescape(field.group(1));
  }

  /** A refused action (four-eyes) says why in the reader's language, next to the button. */
  @Test
  void aRefusedActionSaysWhyInChinese() {
    Plan plan = plans.create(LEAD, "retry-test", "zh refusal", Map.of("tag", "zhrefusal"), null);
    String id = requested(LEAD, plan);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    ConsoleClient lead = new ConsoleClient(port);
    lead.logIn("lead", DEMO_PASSWORD);
    lead.page("/runs/" + id + "?lang=zh-CN");

    HttpResponse<String> refused = lead.htmxPost("/runs/" + id + "?lang=zh-CN",
        "/runs/" + id + "/phases/one/approve", "comment=mine&planHash=" + plan.hash());
    Matcher m = Pattern.compile("class=\"refusal-text[^\"]*\"[^>]*>([^<]+)<").matcher(refused.body());
    assertThat(m.find()).as("the refusal is shown next to the button").isTrue();
    String refusal = HtmlUtils.htmlUnescape(m.group(1)).strip();
    assertThat(refusal).as("lead approving their own run is refused in the reader's language")
        .containsPattern(CJK).doesNotContainPattern("\\b(may not|approve|requested|plan)\\b");
  }
}
