package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.PdfText;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The same run read in English and in Chinese: its message (stored as a key with arguments) shows in
 * each reader's language on the run page and in the API, phases named by their name, not their id.
 */
class RunMessageLanguageConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  private static final Pattern MESSAGE = Pattern.compile("class=\"notification is-light run-message[^>]*>([^<]*)<");

  private final Plans plans;
  private final Runs runs;
  private final int port;
  private final ObjectMapper json;

  @Autowired
  RunMessageLanguageConsoleTest(Plans plans, Runs runs, @Value("${local.server.port}") int port, ObjectMapper json) {
    this.plans = plans;
    this.runs = runs;
    this.port = port;
    this.json = json;
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  private String shownMessage(ConsoleClient reader, String runId, String lang) {
    String page = reader.page("/runs/" + runId + "?lang=" + lang).body();
    Matcher m = MESSAGE.matcher(page);
    assertThat(m.find()).as("the run page shows a run message").isTrue();
    return HtmlUtils.htmlUnescape(m.group(1)).strip();
  }

  @Test
  void theSameRunReadsInEachReadersLanguage() {
    Plan plan = plans.create(OP1, "engine-test", "languages", Map.of("password", "pw-lang-1234", "tag", "lang"), null);
    String id = runs.request(OP1, plan.id()).id();
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("op1", DEMO_PASSWORD);

    assertThat(shownMessage(reader, id, "en"))
        .isEqualTo("phase Phase one waits for approval by an approver who is not the requester");
    assertThat(shownMessage(reader, id, "zh-CN")).isEqualTo("阶段“第一阶段”等待审批，审批人不能是申请人。");
    assertThat(runs.get(id).message()).as("logs and notifications: English with ids")
        .isEqualTo("phase one waits for approval by an approver who is not the requester");

    JsonNode zh = json.readTree(reader.getAs("op1", DEMO_PASSWORD, "/api/runs/" + id, "Accept-Language", "zh-CN").body());
    assertThat(zh.path("message").asString()).isEqualTo("阶段“第一阶段”等待审批，审批人不能是申请人。");
    assertThat(zh.path("messageKey").asString()).isEqualTo("run.message.waiting");
    assertThat(zh.path("messageArgs").get(0).asString()).isEqualTo("one");
    JsonNode en = json.readTree(reader.getAs("op1", DEMO_PASSWORD, "/api/runs/" + id).body());
    assertThat(en.path("message").asString()).isEqualTo("phase Phase one waits for approval by an approver who is not the requester");
    assertThat(en.path("run").path("message").asString())
        .isEqualTo("phase one waits for approval by an approver who is not the requester");

    runs.abort(OP1, id, "window closed");

    assertThat(shownMessage(reader, id, "en")).isEqualTo("aborted by op1: window closed");
    assertThat(shownMessage(reader, id, "zh-CN")).isEqualTo("已由 op1 中止：window closed");

    String zhPdf = PdfText.of(reader.bytesAs("op1", DEMO_PASSWORD, "/api/runs/" + id + "/audit.pdf?lang=zh-CN").body())
        .squeezed();
    assertThat(zhPdf).as("the run PDF in Chinese: state words and the message")
        .contains(PdfText.squeeze("已中止 · 已由 op1 中止：window closed")).contains("已中止")
        .contains("未开始").doesNotContain("PENDING").doesNotContain("Pending");
    String enPdf = PdfText.of(reader.bytesAs("op1", DEMO_PASSWORD, "/api/runs/" + id + "/audit.pdf?lang=en").body())
        .squeezed();
    assertThat(enPdf).contains(PdfText.squeeze("Aborted · aborted by op1: window closed"));
  }
}
