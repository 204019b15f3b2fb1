package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.run.StepPreview.Line;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Preview lines carry their English twice, in the code (what the API and the logs read, through
 * {@link StepPreview#actions()}) and in {@code messages-run.properties} (what an English page
 * reads): this keeps the two the same, every code the code names a key and every key used, and
 * checks what {@link java.text.MessageFormat} does to a line in both languages: quotes, nested
 * phrases, numbers and arguments that look like patterns.
 */
class PreviewLinesTest {

  static final Path JAVA = Path.of("src/main/java");
  static final Path RESOURCES = Path.of("src/main/resources");
  /** {@code Line.of("code", "English" + " more"} — the English as literals joined by {@code +}. */
  private static final Pattern LINE = Pattern.compile(
      "Line\\.of\\(\\s*\"([^\"]+)\",\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*(?:\\+\\s*)?)+)\\s*[,)]");
  /** {@code Shown.count(items, "code", "1 pod", "code", "{0} pods")}. */
  private static final Pattern COUNT = Pattern.compile(
      "Shown\\.count\\([^,]+,\\s*\"([^\"]+)\",\\s*\"([^\"]+)\",\\s*\"([^\"]+)\",\\s*\"([^\"]+)\"\\)");
  private static final Pattern ANY_LINE = Pattern.compile("Line\\.of\\((?!oneCode|manyCode)");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Locale ZH = Locale.forLanguageTag("zh-CN");

  static Map<String, String> english = new LinkedHashMap<>();
  static Properties base;
  static Properties chinese;
  static ResourceBundleMessageSource messages;

  @BeforeAll
  static void read() throws IOException {
    base = properties("messages-run.properties");
    chinese = properties("messages-run_zh_CN.properties");
    messages = new ResourceBundleMessageSource();
    messages.setBasenames("messages-run");
    messages.setDefaultEncoding("UTF-8");
    messages.setFallbackToSystemLocale(false);
  }

  static Properties properties(String file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(RESOURCES.resolve(file), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  /** Every preview code the Java code names, with its English; conflicts and unparsed calls in {@code problems}. */
  static Map<String, String> codes(List<String> problems) throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(JAVA)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(file);
        int parsed = 0;
        Matcher m = LINE.matcher(text);
        while (m.find()) {
          parsed++;
          StringBuilder joined = new StringBuilder();
          Matcher literal = LITERAL.matcher(m.group(2));
          while (literal.find()) {
            joined.append(literal.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
          }
          add(found, m.group(1), joined.toString(), file, problems);
        }
        Matcher c = COUNT.matcher(text);
        while (c.find()) {
          add(found, c.group(1), c.group(2), file, problems);
          add(found, c.group(3), c.group(4), file, problems);
        }
        long calls = ANY_LINE.matcher(text).results().count();
        if (calls != parsed) {
          problems.add(file + ": " + calls + " Line.of calls, " + parsed + " with a literal code and English text");
        }
      }
    }
    return found;
  }

  private static void add(Map<String, String> found, String code, String text, Path file, List<String> problems) {
    String before = found.putIfAbsent(code, text);
    if (before != null && !before.equals(text)) {
      problems.add(file + ": " + code + " has two English texts: «" + before + "» and «" + text + "»");
    }
  }

  @Test
  void theCodesEnglishIsThePropertiesEnglishAndEveryKeyIsUsed() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, String> codes = codes(problems);
    assertThat(codes).as("the preview lines found in the code").hasSizeGreaterThan(100);
    for (Map.Entry<String, String> code : codes.entrySet()) {
      String inFile = base.getProperty(code.getKey());
      if (!code.getValue().equals(inFile)) {
        problems.add(code.getKey() + ": the code says «" + code.getValue() + "», messages-run «" + inFile + "»");
      }
    }
    // step summaries (StepContext.said) are lines too: their keys are held to the same rules
    Set<String> unused = new TreeSet<>(base.stringPropertyNames().stream()
        .filter(k -> k.startsWith("preview.") || k.startsWith("summary.")).toList());
    unused.removeAll(codes.keySet());
    assertThat(problems).as("preview lines whose English differs between the code and messages-run").isEmpty();
    assertThat(unused).as("preview and summary keys no code uses").isEmpty();
  }

  /**
   * In a pattern with arguments a lone {@code '} starts a quoted stretch and swallows the text up to
   * the next one ({@code the Service's ports in {1}} would lose its argument); Spring reads a
   * message without arguments as it is, so there it must stay single.
   */
  @Test
  void quotesAreDoubledExactlyWhereMessageFormatReadsThem() {
    List<String> wrong = new ArrayList<>();
    for (Properties p : List.of(base, chinese)) {
      for (String key : p.stringPropertyNames()) {
        if (!key.startsWith("preview.") && !key.startsWith("summary.")) {
          continue;
        }
        String text = p.getProperty(key);
        boolean arguments = text.matches("(?s).*\\{\\d+}.*");
        String withoutPairs = text.replace("''", "");
        if (arguments ? withoutPairs.contains("'") : text.contains("''")) {
          wrong.add(key + "=" + text);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aLineReadsTheSameInEnglishThroughTheMessageSourceAsThroughItsOwnText() {
    Line line = Line.of("preview.k8s.scale.fromToRecording", "scale {0} from {1} to {2} (recording its replicas first,"
        + " once)", "Deployment anyshare/web", 3, 0);
    assertThat(line.english()).isEqualTo("scale Deployment anyshare/web from 3 to 0 (recording its replicas first, once)");
    assertThat(messages.getMessage(line, Locale.ENGLISH)).isEqualTo(line.english());
    assertThat(messages.getMessage(line, Locale.ROOT)).isEqualTo(line.english());
    assertThat(messages.getMessage(line, ZH)).isEqualTo("将 Deployment anyshare/web 从 3 伸缩到 0（先记录一次它的副本数）");
  }

  @Test
  void nestedPhrasesAreTranslatedAndNamesAreNot() {
    Line which = Line.of("preview.k8s.scale.everyOf", "every Deployment and StatefulSet of namespace {0}", "anyshare");
    Line line = Line.of("preview.k8s.scale.restoreSettle", "scale {0} back to the replicas recorded in this run, then"
        + " settle the records (fails, changing nothing, if one has no record)", which);
    assertThat(line.english()).isEqualTo("scale every Deployment and StatefulSet of namespace anyshare back to the"
        + " replicas recorded in this run, then settle the records (fails, changing nothing, if one has no record)");
    assertThat(messages.getMessage(line, ZH)).isEqualTo("将 命名空间 anyshare 的每个 Deployment 和 StatefulSet"
        + " 伸缩回本次运行记录的副本数，然后结清记录（若有一个没有记录则失败，不做任何改动）");
    Line or = Line.or(List.of("Failed", "Succeeded", "Unknown"));
    assertThat(or.english()).isEqualTo("Failed or Succeeded or Unknown");
    assertThat(messages.getMessage(or, ZH)).isEqualTo("Failed 或 Succeeded 或 Unknown");
  }

  /**
   * A value is text, whatever it looks like: digits keep their form in every locale (a secret of
   * digits grouped as {@code 1,234,567} would slip past the masker), and a value holding
   * {@code {0}} or quotes is not read as a pattern.
   */
  @Test
  void argumentsAreShownAsTheyAreInEveryLanguage() {
    for (Object value : List.of(1234567, 1234567L, "{0} it''s '{1}'", "a 'quoted' {9} value")) {
      Line line = Line.of("preview.manual.confirm", "an operator confirms: {0}", value);
      String shown = String.valueOf(value);
      assertThat(line.english()).isEqualTo("an operator confirms: " + shown);
      assertThat(messages.getMessage(line, Locale.ENGLISH)).isEqualTo("an operator confirms: " + shown);
      assertThat(messages.getMessage(line, ZH)).isEqualTo("由操作员确认：" + shown);
    }
  }

  @Test
  void aPlainLineReadsAsItselfInEveryLanguage() {
    Line plain = Line.plain("it's {0} as written");
    assertThat(plain.english()).isEqualTo("it's {0} as written");
    assertThat(messages.getMessage(plain, ZH)).isEqualTo("it's {0} as written");
    assertThat(StepPreview.plain("a", "b").actions()).containsExactly("a", "b");
  }

  /** A text the procedure gives in both languages (instructions_zh) reads in the reader's, nested or not. */
  @Test
  void aProceduresOwnChineseTextIsChosenForAChineseReader() {
    Line line = Line.of("preview.manual.confirm", "an operator confirms: {0}", Line.text("look at {0}", "看一下 {0}"));
    assertThat(line.english()).isEqualTo("an operator confirms: look at {0}");
    assertThat(messages.getMessage(line.in(ZH), ZH)).isEqualTo("由操作员确认：看一下 {0}");
    assertThat(messages.getMessage(line.in(Locale.ENGLISH), Locale.ENGLISH)).isEqualTo(line.english());
    assertThat(messages.getMessage(line.in(null), Locale.ROOT)).isEqualTo(line.english());
    Line none = Line.of("preview.manual.confirm", "an operator confirms: {0}", Line.text("look", " "));
    assertThat(messages.getMessage(none.in(ZH), ZH)).isEqualTo("由操作员确认：look");
  }

  /** A code with no text in messages-run still reads: its English, in every language. */
  @Test
  void aLineWhoseKeyIsMissingReadsInEnglish() {
    Line line = Line.of("preview.nowhere", "wait for {0}", "node-1");
    assertThat(messages.getMessage(line, ZH)).isEqualTo("wait for node-1");
  }
}
