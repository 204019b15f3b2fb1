package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.procedure.Phase;
import io.lockstep.system.Role;
import io.lockstep.system.SecretMasker;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.web.util.HtmlUtils;

/**
 * Issue 14: an approver who reads Chinese first reads what a phase will do in Chinese. Every phase
 * of the shipped procedures is previewed in zh-CN through {@link PhasePreviews}, with a message
 * source that marks each argument (commands, names, paths: never translated), so whatever English
 * is left outside the arguments is a line nobody translated. And a secret that is an argument of a
 * translated line stays masked in both languages.
 */
class ChinesePreviewConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Locale ZH = Locale.forLanguageTag("zh-CN");
  private static final String CJK = "[\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]";
  private static final Pattern ASCII_PUNCTUATION = Pattern.compile(CJK + "\\s*[:(),;]|[:(),;]\\s*" + CJK);
  private static final char OPEN = '\u0001';
  private static final char CLOSE = '\u0002';
  private static final Pattern ARGUMENT = Pattern.compile(OPEN + "[^" + CLOSE + "]*" + CLOSE);
  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z_]+");
  /** Words a Chinese line keeps on purpose: Kubernetes kinds and states, field names, acronyms. */
  private static final Set<String> KEPT = Set.of("Pod", "DaemonSet", "Secret", "Ready", "NotReady", "Running",
      "hostname", "etcd", "PodDisruptionBudget", "BMC", "StatefulSet", "ServiceImport", "ServiceExport", "Service",
      "NotIn", "MysqlCluster", "Deployment", "SSH", "volume", "info", "nodes", "etcd_nodes", "nodeSelector", "emptyDir",
      "ClusterSetIP", "spec", "podSpec", "running", "dead", "pcocc", "vm", "NAME", "patch", "merge", "JSON",
      "operator", "master", "control", "plane", "Stopped", "Started", "MySQL", "MYSQL_ROOT_PASSWORD", "CPU", "API");
  /** P1 needs a planner's data: left out here. */
  private static final Map<String, Map<String, Object>> VALID = without(ShippedPlanValues.VALID, "proton-node-migration");

  private static Map<String, Map<String, Object>> without(Map<String, Map<String, Object>> values, String id) {
    Map<String, Map<String, Object>> kept = new java.util.HashMap<>(values);
    kept.remove(id);
    return Map.copyOf(kept);
  }

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final PhasePreviews marked;
  private final int port;
  private final List<String> started = new ArrayList<>();

  @Autowired
  ChinesePreviewConsoleTest(Plans plans, Runs runs, RunViews views, StepExecutors executors, SecretMasker masker,
      MessageSource messages, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.marked = new PhasePreviews(plans, executors, masker, new RunMessages(new Marking(messages)));
    this.port = port;
  }

  @AfterEach
  void abortWhatIsLeft() {
    for (String id : started) {
      if (!runs.get(id).isFinal()) {
        runs.abort(OP1, id, "preview test done");
      }
    }
    started.clear();
  }

  private Run requested(String procedure, Map<String, Object> values) {
    Plan plan = plans.create(OP1, procedure, "preview " + procedure, values, null);
    Run run = runs.request(OP1, plan.id());
    started.add(run.id());
    await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.AWAITING_APPROVAL);
    return runs.get(run.id());
  }

  @Test
  void everyPreviewLineOfTheShippedProceduresReadsInChineseButItsArguments() {
    List<String> english = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> types = new TreeSet<>();
    int lines = 0;
    for (Map.Entry<String, Map<String, Object>> shipped : new java.util.TreeMap<>(VALID).entrySet()) {
      Run run = requested(shipped.getKey(), shipped.getValue());
      Plan plan = plans.get(run.planId());
      for (Phase phase : plans.procedure(run.procedureId()).phases()) {
        PhasePreview zh = marked.of(run, plan, phase.id(), ZH);
        PhasePreview en = marked.of(run, plan, phase.id(), Locale.ENGLISH);
        for (int s = 0; s < zh.steps().size(); s++) {
          PhasePreview.StepLines step = zh.steps().get(s);
          if (step.problem() != null) {
            problems.add(shipped.getKey() + " " + step.key() + ": " + step.problem());
          }
          types.add(step.type());
          assertThat(step.shown()).as(step.key() + ": one shown line per action").hasSameSizeAs(step.actions());
          assertThat(en.steps().get(s).shown().stream().map(ChinesePreviewConsoleTest::unmarked).toList())
              .as(step.key() + ": the English page reads what the API reads").isEqualTo(step.actions());
          for (String line : step.shown()) {
            lines++;
            String outside = ARGUMENT.matcher(line).replaceAll(" ");
            Set<String> left = new TreeSet<>();
            WORD.matcher(outside).results().map(java.util.regex.MatchResult::group).filter(w -> !KEPT.contains(w)).forEach(left::add);
            if (!left.isEmpty() || !unmarked(line).matches("(?s).*" + CJK + ".*")) {
              english.add(shipped.getKey() + " " + step.key() + ": " + left + " in «" + unmarked(line) + "»");
            }
            if (ASCII_PUNCTUATION.matcher(unmarked(line)).find()) {
              english.add(shipped.getKey() + " " + step.key() + ": ASCII punctuation next to Chinese in «"
                  + unmarked(line) + "»");
            }
          }
        }
      }
    }
    assertThat(problems).as("steps the lab could not preview").isEmpty();
    assertThat(types).as("executor types previewed").hasSizeGreaterThan(25);
    assertThat(lines).as("preview lines read").isGreaterThan(150);
    assertThat(english).as("English left outside the arguments of Chinese preview lines").isEmpty();
  }

  @Test
  void aSecretInAPreviewLineIsMaskedInChineseAsInEnglish() {
    String secret = "Pr3view-zh-s3cret";
    Run run = requested("preview-test", Map.of("password", secret));
    PhasePreview zh = views.preview(run.id(), "one", ZH);
    PhasePreview en = views.preview(run.id(), "one", Locale.ENGLISH);
    assertThat(zh.clean()).as(zh.problems()).isTrue();
    List<String> zhLines = zh.steps().stream().flatMap(s -> s.shown().stream()).toList();
    List<String> enLines = en.steps().stream().flatMap(s -> s.shown().stream()).toList();
    assertThat(zhLines).hasSize(5).allMatch(l -> l.contains(SecretMasker.MASK), "masked")
        .noneMatch(l -> l.contains(secret) || l.contains("Pr3view")).allMatch(l -> l.matches("(?s).*" + CJK + ".*"));
    assertThat(zhLines.get(0)).as("the procedure's own Chinese instructions, masked")
        .isEqualTo("由操作员确认：在 node-1 的控制台输入 " + SecretMasker.MASK);
    assertThat(enLines.get(0)).isEqualTo("an operator confirms: type " + SecretMasker.MASK + " at the console of node-1");
    assertThat(zhLines.get(2)).isEqualTo("node-1：echo " + SecretMasker.MASK + "（期望退出码 0 或 3）");
    assertThat(zhLines.get(4)).isEqualTo("在 node-1, node-2 上并行执行：echo " + SecretMasker.MASK);
    assertThat(enLines).noneMatch(l -> l.contains(secret)).contains("node-1: echo " + SecretMasker.MASK
        + " (exit 0 or 3 expected)");
    assertThat(zh.steps().stream().flatMap(s -> s.actions().stream()).toList())
        .as("the API's English actions").isEqualTo(enLines).noneMatch(l -> l.contains(secret));

    ConsoleClient reader = new ConsoleClient(port);
    reader.logIn("ap1", DEMO_PASSWORD);
    String page = HtmlUtils.htmlUnescape(reader.page("/runs/" + run.id() + "/phases/one/preview?lang=zh-CN").body());
    assertThat(page).as("the page's preview fragment in Chinese, masked").contains("由操作员确认：")
        .contains("node-1：echo " + SecretMasker.MASK + "（期望退出码 0 或 3）").doesNotContain(secret)
        .doesNotContain("an operator confirms");
  }

  private static String unmarked(String line) {
    return line.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
  }

  /**
   * The console's messages, each text argument between {@link #OPEN} and {@link #CLOSE}: a string,
   * or a line without a code (text shown as it is); a line with a code is translated in turn.
   */
  private record Marking(MessageSource messages) implements MessageSource {

    @Override
    public String getMessage(String code, Object[] args, String defaultMessage, Locale locale) {
      return messages.getMessage(code, args, defaultMessage, locale);
    }

    @Override
    public String getMessage(String code, Object[] args, Locale locale) {
      return messages.getMessage(code, args, locale);
    }

    @Override
    public String getMessage(MessageSourceResolvable resolvable, Locale locale) {
      return messages.getMessage(marked(resolvable), locale);
    }

    private static MessageSourceResolvable marked(MessageSourceResolvable resolvable) {
      Object[] args = resolvable.getArguments() == null ? null : Arrays.stream(resolvable.getArguments())
          .map(a -> a instanceof MessageSourceResolvable nested && nested.getCodes() != null ? marked(nested)
              : OPEN + (a instanceof MessageSourceResolvable plain ? plain.getDefaultMessage() : String.valueOf(a))
                  + CLOSE)
          .toArray();
      return new DefaultMessageSourceResolvable(resolvable.getCodes(), args, resolvable.getDefaultMessage());
    }
  }
}
