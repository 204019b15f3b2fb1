package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/** Refusals carry a key and arguments; each key reads whole in both languages. */
class RefusalLanguageTest {

  private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)}");
  private static final String CJK = "[\\u3400-\\u9fff]";

  private final RunMessages messages = new RunMessages(source());

  private static ResourceBundleMessageSource source() {
    ResourceBundleMessageSource source = new ResourceBundleMessageSource();
    source.setBasenames("messages-run");
    source.setDefaultEncoding("UTF-8");
    source.setFallbackToSystemLocale(false);
    return source;
  }

  private static Properties english() throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/messages-run.properties"),
        StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  @Test
  void everyRefusalReadsWholeInChinese() throws IOException {
    Properties en = english();
    for (String key : en.stringPropertyNames()) {
      if (!key.startsWith("run.refusal.") || key.startsWith("run.refusal.do.") || key.startsWith("run.refusal.move.")) {
        continue;
      }
      Matcher m = ARGUMENT.matcher(en.getProperty(key));
      int most = -1;
      while (m.find()) {
        most = Math.max(most, Integer.parseInt(m.group(1)));
      }
      RunMessage.Arg[] args = new RunMessage.Arg[most + 1];
      Arrays.setAll(args, i -> RunMessage.text("a" + i));
      RunMessage said = RunMessage.of(key, args);
      String zh = messages.of(said, null, Locale.SIMPLIFIED_CHINESE);
      assertThat(zh).as(key).containsPattern(CJK).doesNotContain("{").doesNotContain(key);
      for (int i = 0; i <= most; i++) {
        assertThat(zh).as(key + " shows argument " + i).contains("a" + i);
        assertThat(said.english()).as(key + " in English shows argument " + i).contains("a" + i);
      }
    }
  }

  @Test
  void everyMoveHasItsWordInBothLanguages() throws IOException {
    Properties en = english();
    for (Run.Move move : Run.Move.values()) {
      String key = "run.refusal.move." + move.name();
      assertThat(en.getProperty(key)).as(key).isNotBlank();
      assertThat(source().getMessage(key, null, null, Locale.SIMPLIFIED_CHINESE)).as(key).containsPattern(CJK);
    }
  }

  @Test
  void aRefusalIsEnglishForTheApiAndChineseOnAChinesePage() {
    RunException refused = new RunException.NotAllowed("lead requested run-4 and may not approve its phases: a second"
        + " person must (four-eyes)", RunMessage.of("run.refusal.requesterDecides", RunMessage.text("lead"),
            RunMessage.text("run-4"), RunMessage.word("run.refusal.do.approve")));
    assertThat(refused.getMessage()).startsWith("lead requested run-4 and may not approve");
    assertThat(messages.refusal(refused, null, Locale.ENGLISH)).isEqualTo(refused.getMessage());
    assertThat(messages.refusal(refused, null, Locale.SIMPLIFIED_CHINESE))
        .isEqualTo("lead 发起了运行 run-4，不能批准它的阶段：须由另一人来做（四眼原则）。");
    RunException plain = new RunException.Conflict("only English");
    assertThat(messages.refusal(plain, null, Locale.SIMPLIFIED_CHINESE)).isEqualTo("only English");
  }
}
