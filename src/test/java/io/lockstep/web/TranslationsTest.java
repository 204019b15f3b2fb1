package io.lockstep.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Chinese is complete: every message key has its zh_CN text and the other way round, with the same
 * arguments, in full-width punctuation; and every key the templates and the Java code name exists.
 * Fails with the list of what is missing, so a gap is found before a reader at 3 a.m. finds it.
 */
class TranslationsTest {

  static final Path RESOURCES = Path.of("src/main/resources");
  static final Path TEMPLATES = Path.of("frontend/templates");
  static final Path JAVA = Path.of("src/main/java");
  static final List<String> BASENAMES = List.of("messages", "messages-run", "messages-migration");
  private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)[^}]*}");
  private static final String CJK = "[\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]";
  /** An ASCII : ( ) , ; next to a Chinese character (or full-width punctuation). */
  private static final Pattern ASCII_PUNCTUATION = Pattern.compile(CJK + "\\s*[:(),;]|[:(),;]\\s*" + CJK);
  private static final Pattern TEMPLATE_KEY = Pattern.compile("#\\{([A-Za-z][\\w.-]*)(?:\\(|})");
  private static final Pattern TEMPLATE_MSG = Pattern.compile("#messages\\.msg(?:WithParams)?\\('([A-Za-z][\\w.-]*)'[,)]");
  /** Key prefixes built in Java code: a literal {@code "run.message.x"} must be a key. */
  private static final Pattern JAVA_KEY = Pattern.compile(
      "\"((?:run\\.message|run\\.refusal|run\\.step|audit\\.type|run\\.state|phase\\.state|step\\.state|approval\\.decision|parameter\\.type|i18n)\\.[\\w.-]*\\w)\"");

  static Properties read(String file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(RESOURCES.resolve(file), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  static Set<String> allKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    for (String basename : BASENAMES) {
      keys.addAll(read(basename + ".properties").stringPropertyNames());
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(strings = {"messages", "messages-run", "messages-migration"})
  void everyKeyHasItsTranslationAndTheOtherWayRound(String basename) throws IOException {
    Properties en = read(basename + ".properties");
    Properties zh = read(basename + "_zh_CN.properties");
    Set<String> noChinese = new TreeSet<>(en.stringPropertyNames());
    noChinese.removeAll(zh.stringPropertyNames());
    Set<String> noEnglish = new TreeSet<>(zh.stringPropertyNames());
    noEnglish.removeAll(en.stringPropertyNames());

    assertThat(noChinese).as(basename + ": keys without a zh_CN text").isEmpty();
    assertThat(noEnglish).as(basename + ": zh_CN keys without an English text").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"messages", "messages-run", "messages-migration"})
  void bothLanguagesTakeTheSameArguments(String basename) throws IOException {
    Properties en = read(basename + ".properties");
    Properties zh = read(basename + "_zh_CN.properties");
    List<String> differ = new ArrayList<>();
    for (String key : new TreeSet<>(en.stringPropertyNames())) {
      if (zh.containsKey(key) && !arguments(en.getProperty(key)).equals(arguments(zh.getProperty(key)))) {
        differ.add(key + ": " + arguments(en.getProperty(key)) + " vs " + arguments(zh.getProperty(key)));
      }
    }
    assertThat(differ).as(basename + ": keys whose {n} arguments differ between English and zh_CN").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"messages", "messages-run", "messages-migration"})
  void chineseUsesFullWidthPunctuation(String basename) throws IOException {
    Properties zh = read(basename + "_zh_CN.properties");
    List<String> ascii = new ArrayList<>();
    for (String key : new TreeSet<>(zh.stringPropertyNames())) {
      Matcher m = ASCII_PUNCTUATION.matcher(zh.getProperty(key));
      if (m.find()) {
        ascii.add(key + " at «" + m.group() + "»: " + zh.getProperty(key));
      }
    }
    assertThat(ascii).as(basename + "_zh_CN: ASCII : ( ) , ; next to Chinese (use ：（），；)").isEmpty();
  }

  @Test
  void everyKeyTheTemplatesNameExists() throws IOException {
    Set<String> keys = allKeys();
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TEMPLATES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".html")).sorted().toList()) {
        String text = Files.readString(file);
        for (Pattern pattern : List.of(TEMPLATE_KEY, TEMPLATE_MSG)) {
          Matcher m = pattern.matcher(text);
          while (m.find()) {
            if (!keys.contains(m.group(1))) {
              missing.add(TEMPLATES.relativize(file) + ": " + m.group(1));
            }
          }
        }
      }
    }
    assertThat(missing).as("message keys named in templates but in no messages*.properties").isEmpty();
  }

  @Test
  void everyKeyTheJavaCodeNamesExists() throws IOException {
    Set<String> keys = allKeys();
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(JAVA)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        Matcher m = JAVA_KEY.matcher(Files.readString(file));
        while (m.find()) {
          if (!keys.contains(m.group(1)) && !m.group(1).endsWith(".")) {
            missing.add(JAVA.relativize(file) + ": " + m.group(1));
          }
        }
      }
    }
    assertThat(missing).as("message keys named in Java but in no messages*.properties").isEmpty();
  }

  static Set<Integer> arguments(String text) {
    Set<Integer> found = new TreeSet<>();
    Matcher m = ARGUMENT.matcher(text);
    while (m.find()) {
      found.add(Integer.parseInt(m.group(1)));
    }
    return found;
  }
}
