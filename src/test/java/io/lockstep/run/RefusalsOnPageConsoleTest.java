package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * Issue 14, the operator's night: a refusal that was English only now says why in the reader's
 * language next to where it was tried; a paused run's header names who paused it and when; a run
 * stopped on a failed step tells each viewer what they may do (an operator who requested it may
 * retry or abort, not skip), and whom it waits for otherwise. Hostile input renders escaped.
 */
class RefusalsOnPageConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CJK = "[\\u3400-\\u9fff]";
  /** English words any of these refusals would have in English. */
  private static final String ENGLISH = "\\b(may not|needs?|required|reason|comment|there is|has no|role|plain text)\\b";

  private final Plans plans;
  private final Runs runs;
  private final int port;
  private final List<String> started = new ArrayList<>();

  @Autowired
  RefusalsOnPageConsoleTest(Plans plans, Runs runs, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.port = port;
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  @AfterEach
  void abortWhatIsLeft() {
    for (String id : started) {
      if (!runs.get(id).isFinal()) {
        runs.abort(OP1, id, "test over");
      }
    }
    started.clear();
    TestSteps.reset();
  }

  private String waiting(String tag) {
    Plan plan = plans.create(OP1, "retry-test", "refusals " + tag, Map.of("tag", tag), null);
    String id = runs.request(OP1, plan.id()).id();
    started.add(id);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    return id;
  }

  private ConsoleClient session(String user, String lang) {
    ConsoleClient client = new ConsoleClient(port);
    client.logIn(user, DEMO_PASSWORD);
    client.page("/?lang=" + lang);
    return client;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The refusal the action's answer shows next to where it was tried, unescaped. */
  private static String refusal(HttpResponse<String> answer) {
    Matcher m = Pattern.compile("class=\"refusal-text[^\"]*\"[^>]*>([^<]*)<").matcher(answer.body());
    assertThat(m.find()).as("a refusal next to the button: " + answer.body().substring(0, Math.min(300,
        answer.body().length()))).isTrue();
    return HtmlUtils.htmlUnescape(m.group(1)).strip();
  }

  private static void assertChinese(String refusal, String... mustName) {
    assertThat(refusal).containsPattern(CJK).doesNotContainPattern(ENGLISH).doesNotContain("{");
    for (String name : mustName) {
      assertThat(refusal).contains(name);
    }
  }

  @Test
  void refusalsThatWereEnglishOnlySayWhyInChineseNextToTheButton() {
    String id = waiting("zhref");
    String page = "/runs/" + id;
    String hash = plans.get(runs.get(id).planId()).hash();
    ConsoleClient ap1 = session("ap1", "zh-CN");
    ConsoleClient op1 = session("op1", "zh-CN");

    // a missing role (Actor.require): an approver may not pause
    String role = refusal(ap1.htmxPost(page, page + "/pause", ""));
    assertChinese(role, "ap1", "操作员", "暂停运行");
    // the plan hash, the rejection's comment, a comment too long (hostile: HTML in it)
    assertChinese(refusal(ap1.htmxPost(page, page + "/phases/one/approve", "comment=ok")), "planHash", id);
    assertChinese(refusal(ap1.htmxPost(page, page + "/phases/one/reject", "comment=&planHash=" + hash)));
    HttpResponse<String> tooLong = ap1.htmxPost(page, page + "/phases/one/approve",
        "planHash=" + hash + "&comment=" + enc("<script>alert(1)</script>" + "x".repeat(2100)));
    assertChinese(refusal(tooLong), "2000");
    assertThat(tooLong.body()).doesNotContain("<script>alert(1)");
    // a phase and a step that do not exist
    assertChinese(refusal(ap1.htmxPost(page, page + "/phases/nope/approve", "comment=ok&planHash=" + hash)), "nope");
    assertChinese(refusal(op1.htmxPost(page, page + "/steps/one.nope/confirm", "")), "one.nope");
    // a skip without a reason, and with a reason holding HTML and a right-to-left override
    assertChinese(refusal(ap1.htmxPost(page, page + "/steps/one.flaky/skip", "reason=")));
    HttpResponse<String> rtl = ap1.htmxPost(page, page + "/steps/one.flaky/skip",
        "reason=" + enc("<b>fine</b>\u202etxet"));
    assertChinese(refusal(rtl), "202E");
    assertThat(rtl.body()).doesNotContain("<b>fine</b>").doesNotContain("\u202e");
    // an override without a reason
    assertChinese(refusal(ap1.htmxPost(page, page + "/steps/two.quorum/override", "reason=")));

    // the English reader gets the very sentence the API and the audit trail give
    ConsoleClient en = session("ap1", "en");
    assertThat(refusal(en.htmxPost(page, page + "/pause", ""))).isEqualTo("ap1 may not pause a run: that needs the"
        + " OPERATOR role");
    assertThat(refusal(en.htmxPost(page, page + "/steps/one.flaky/skip", "reason=")))
        .isEqualTo("skipping a step needs a reason");
  }

  @Test
  void aPausedRunsHeaderNamesWhoPausedItAndWhenInBothLanguages() {
    String id = waiting("zhpause");
    new ConsoleClient(port).postAs("op2", DEMO_PASSWORD, "/api/runs/" + id + "/pause", "{}");
    assertThat(runs.get(id).state()).isEqualTo(Run.State.PAUSED);
    assertThat(runs.get(id).pausedBy()).isEqualTo("op2");
    assertThat(runs.get(id).pausedAt()).isNotNull();

    String zh = session("op1", "zh-CN").page("/runs/" + id).body();
    assertThat(says(zh)).startsWith("已由 op2 暂停：等待你恢复运行（暂停于 ").endsWith("）");
    assertThat(zh).containsPattern("class=\"run-paused-at\">.*<time datetime=\"[^\"]+\"");
    String en = session("op1", "en").page("/runs/" + id).body();
    assertThat(says(en)).startsWith("Paused by op2: waiting for you to resume (paused at ").endsWith(")");
    assertThat(says(session("ap1", "en").page("/runs/" + id).body()))
        .startsWith("Paused by op2: waiting for op1, lead or op2 to resume");

    runs.resume(OP1, id);
    assertThat(runs.get(id).pausedBy()).as("a resume forgets who paused").isNull();
    assertThat(session("op1", "en").page("/runs/" + id).body()).doesNotContain("run-paused-at")
        .doesNotContain("Paused by");
  }

  /** The header's sentence as a person reads it. */
  private static String says(String page) {
    Matcher m = Pattern.compile("<p class=\"run-says[^\"]*\">(.*?)</p>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).isTrue();
    return HtmlUtils.htmlUnescape(m.group(1).replaceAll("<[^>]+>", "")).replaceAll("\\s+", " ").strip();
  }

  @Test
  void aFailedGuardsHeaderOffersEachViewerOnlyWhatTheyMayDo() {
    String id = waiting("zhguardhead");
    for (String s : List.of("flaky", "bounded", "slow")) {
      TestSteps.open(s + "-zhguardhead-" + id);
    }
    String hash = plans.get(runs.get(id).planId()).hash();
    runs.approve(AP1, id, "one", "go", hash);
    runs.approve(AP1, id, "two", "go", hash);
    TestSteps.FAILURES.put("guard-zhguardhead-" + id, "the quorum would break");
    TestSteps.open("guard-zhguardhead-" + id);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.FAILED);

    String requester = session("op1", "en").page("/runs/" + id).body();
    assertThat(says(requester)).isEqualTo("Failed at the guard The quorum holds: you may retry or abort it; to override"
        + " it, two approvers among ap1, ap2 or lead each sign with a reason");
    assertThat(requester).contains("Decide: retry or abort").doesNotContain("needs your decision")
        .doesNotContain("Decide: retry, skip or abort");
    assertThat(says(session("op1", "zh-CN").page("/runs/" + id).body()))
        .isEqualTo("在守卫步骤“法定人数成立”失败：你可以重试或中止；若要越过它，须由 ap1、ap2或lead 中的两位批准人各自签署并说明理由");
    assertThat(says(session("ap1", "en").page("/runs/" + id).body())).isEqualTo("Failed at the guard The quorum holds:"
        + " you may sign its override, with a reason (a second approver must sign too); retrying or aborting it is"
        + " for op1, lead or op2");
    assertThat(says(session("lead", "en").page("/runs/" + id).body())).startsWith("Failed at the guard The quorum"
        + " holds: needs your decision (retry or abort; to override it, you and a second approver");
  }
}
