package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.run.StepPreview.Line;
import io.lockstep.system.SecretMasker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Issue 14: an executor's summary said as a line ({@link StepContext#said}) is stored as a keyed
 * {@link RunMessage}, its arguments masked, and reads in each reader's language; a summary returned
 * without a line, or a different one, is kept as it is.
 */
class StepSummaryTest {

  static final Locale ZH = Locale.forLanguageTag("zh-CN");

  private final SecretMasker masker = new SecretMasker();
  private final EngineStepContext context = new EngineStepContext("run-1", "stop", "kubelet", Map.of(),
      Duration.ofMinutes(1), new EngineStepContext.Services(null, null, masker, null, null, null, null), null);
  private final RunMessages messages = new RunMessages(source());

  static ResourceBundleMessageSource source() {
    ResourceBundleMessageSource source = new ResourceBundleMessageSource();
    source.setBasenames("messages-run");
    source.setDefaultEncoding("UTF-8");
    source.setFallbackToSystemLocale(false);
    return source;
  }

  static Line twoStatuses() {
    return Line.of("summary.ssh.exec.manyStatuses", "{0} nodes: {1}", 3, Line.of("summary.list", "{0}; {1}",
        Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", 0, "node-1, node-2"),
        Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", 3, "node-3")));
  }

  private String stored(Line line) {
    return context.summary(context.said(line));
  }

  @Test
  void aSaidLineIsStoredKeyedWithItsNestedLinesAndReadsInEachLanguage() {
    Line line = twoStatuses();
    String stored = stored(line);

    assertThat(stored).startsWith(RunMessage.PREFIX);
    RunMessage read = RunMessage.decode(stored);
    assertThat(read.key()).isEqualTo("summary.ssh.exec.manyStatuses");
    assertThat(read.kinds()).containsExactly(RunMessage.TEXT, RunMessage.LINE);
    RunStep step = new RunStep("run-1", "stop", "kubelet", 0, RunStep.State.SUCCEEDED, 1, null, null, stored, null,
        null, List.of());
    assertThat(step.summary()).as("the API's and the webhook's English").isEqualTo(line.english())
        .isEqualTo("3 nodes: exit 0 on node-1, node-2; exit 3 on node-3");
    assertThat(messages.of(step.said(), null, Locale.ENGLISH)).isEqualTo(line.english());
    assertThat(messages.of(step.said(), null, ZH)).isEqualTo("3 个节点：node-1, node-2 上退出码 0；node-3 上退出码 3");
    assertThat(RunMessage.encode(RunMessage.decode(stored))).as("reads back as written").isEqualTo(stored);
  }

  @Test
  void aRunsSecretInAnArgumentOrANestedLineIsMaskedBeforeItIsStored() {
    masker.runRead("run-1", List.of("Sekr3t-77x"));
    Line line = Line.of("summary.ssh.exec.manyStatuses", "{0} nodes: {1}", "2 Sekr3t-77x",
        Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", 0, "sshpass -p Sekr3t-77x node-1"));

    String stored = stored(line);

    assertThat(stored).startsWith(RunMessage.PREFIX).doesNotContain("Sekr3t-77x");
    RunMessage read = RunMessage.decode(stored);
    assertThat(read.english()).doesNotContain("Sekr3t").contains("sshpass -p ");
    assertThat(messages.of(read, null, ZH)).doesNotContain("Sekr3t");
  }

  /** A secret that only the words around an argument complete: no argument holds it, the English does. */
  @Test
  void aSecretMadeOfAnArgumentAndTheWordsAroundItIsMaskedInTheWholeSentence() {
    masker.runRead("run-1", List.of("n9: exit 7"));
    Line line = Line.of("summary.ssh.exec.one", "{0}: exit {1}", "n9", 7);
    assertThat(masker.forRun("run-1").mask("n9")).as("too short to be masked on its own").isEqualTo("n9");

    String stored = stored(line);

    assertThat(stored).doesNotContain("n9: exit 7").doesNotStartWith(RunMessage.PREFIX);
    assertThat(RunMessage.decode(stored).english()).doesNotContain("n9: exit 7");
  }

  @Test
  void aSummaryReturnedWithoutItsLineIsKeptAsItIs() {
    context.said(Line.of("summary.ssh.exec.one", "{0}: exit {1}", "node-1", 0));

    assertThat(context.summary("something else")).isEqualTo("something else");
    EngineStepContext fresh = new EngineStepContext("run-1", "stop", "kubelet", Map.of(), Duration.ofMinutes(1),
        new EngineStepContext.Services(null, null, masker, null, null, null, null), null);
    assertThat(fresh.summary(null)).isEqualTo("done");
    assertThat(fresh.summary("node-1: exit 0")).isEqualTo("node-1: exit 0");
    assertThat(context.summary(context.said(Line.plain("as it is {0}")))).isEqualTo("as it is {0}");
  }

  /** Arguments shaped like patterns, quotes and digits stay as they are in both languages. */
  @Test
  void argumentsReadAsTheyAreInEveryLanguage() {
    Line line = Line.of("summary.ssh.exec.one", "{0}: exit {1}", "it's {1} '{0}'", "1234567");
    RunMessage read = RunMessage.decode(stored(line));
    assertThat(read.english()).isEqualTo("it's {1} '{0}': exit 1234567");
    assertThat(messages.of(read, null, ZH)).isEqualTo("it's {1} '{0}'：退出码 1234567");
  }

  /** Long arguments in nested lines: what is stored fits its column and still reads. */
  @Test
  void anOverlongSummaryStillFitsItsColumnAndReads() {
    Object statuses = null;
    for (int i = 0; i < 12; i++) {
      Line one = Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", i, "\"n\"".repeat(400));
      statuses = statuses == null ? one : Line.of("summary.list", "{0}; {1}", statuses, one);
    }
    String stored = stored(Line.of("summary.ssh.exec.manyStatuses", "{0} nodes: {1}", 12, statuses));

    assertThat(stored.length()).isLessThan(3900);
    RunMessage read = RunMessage.decode(stored);
    assertThat(read.key()).as("still keyed: the nested lines' arguments were cut").isEqualTo("summary.ssh.exec.manyStatuses");
    assertThat(read.english()).startsWith("12 nodes: exit 0 on \"n\"").contains("; exit 11 on \"n");
    assertThat(messages.of(read, null, ZH)).startsWith("12 个节点：\"n\"");
  }

  /** A stored nested line that is not JSON (a row someone edited) reads as its text, not as an error. */
  @Test
  void aBrokenNestedLineReadsAsItsText() {
    RunMessage broken = new RunMessage("summary.ssh.exec.manyStatuses", List.of("2", "{\"key\": nope"),
        List.of(RunMessage.TEXT, RunMessage.LINE));
    assertThat(RunMessage.decode(RunMessage.encode(broken)).english()).isEqualTo("2 nodes: {\"key\": nope");
  }
}
