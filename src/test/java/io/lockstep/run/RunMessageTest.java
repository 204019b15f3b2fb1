package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's message as stored: a key with arguments, read back whole; sentences from before read as themselves. */
class RunMessageTest {

  @Test
  void aKeyedMessageReadsBackWithItsArgumentsAndKinds() {
    String stored = Run.keyed("run.message.rejected", RunMessage.phase("stop-app"), RunMessage.text("ap1"),
        RunMessage.text("not \"now\" {0} 'x'"));

    RunMessage read = RunMessage.decode(stored);

    assertThat(read.key()).isEqualTo("run.message.rejected");
    assertThat(read.args()).containsExactly("stop-app", "ap1", "not \"now\" {0} 'x'");
    assertThat(read.kinds()).containsExactly("phase", "text", "text");
    assertThat(read.english()).isEqualTo("phase stop-app was rejected by ap1: not \"now\" {0} 'x'. Edit the plan"
        + " (which asks for approval again) or abort the run.");
  }

  @Test
  void aSentenceStoredBeforeMessagesWereKeysReadsAsItself() {
    RunMessage read = RunMessage.decode("aborted by op1: window closed");

    assertThat(read.key()).isNull();
    assertThat(read.english()).isEqualTo("aborted by op1: window closed");
    assertThat(RunMessage.decode("{\"key\": broken")).satisfies(m -> {
      assertThat(m.key()).isNull();
      assertThat(m.english()).isEqualTo("{\"key\": broken");
    });
    assertThat(RunMessage.decode(null)).isNull();
  }

  @Test
  void argumentsFullOfEscapesAreShortenedSoTheMessageFitsItsColumnWhole() {
    String quotes = "\"\\\u0001".repeat(2000);
    String stored = Run.keyed("run.step.guardOverridden", RunMessage.text(quotes), RunMessage.text(quotes),
        RunMessage.text(quotes), RunMessage.text(quotes));

    assertThat(stored.length()).isLessThan(3900);
    assertThat(RunMessage.decode(stored).key()).isEqualTo("run.step.guardOverridden");
    assertThat(RunMessage.decode(stored).args()).hasSize(4).allSatisfy(a -> assertThat(a).endsWith(" …"));
  }

  @Test
  void aWordOfTheConsolesOwnReadsInTheReadersLanguage() {
    RunMessage said = RunMessage.of("run.message.interrupted", RunMessage.step("two.risky"),
        RunMessage.word("run.message.noneRecorded"), RunMessage.text("node-1=0"));

    assertThat(RunMessage.decode(RunMessage.encode(said)).english()).contains("Last action: none recorded; last exit"
        + " status: node-1=0.");
    String chinese = said.render(key -> key.equals("run.message.noneRecorded") ? "无记录"
        : "步骤“{0}”：最后的操作：{1}；最后的退出状态：{2}。", (kind, id) -> "第二步", java.util.Locale.CHINA);
    assertThat(chinese).isEqualTo("步骤“第二步”：最后的操作：无记录；最后的退出状态：node-1=0。");
  }

  @Test
  void aKeyWithoutATextReadsAsTheKeyAndItsArguments() {
    assertThat(RunMessage.of("run.message.noSuchKey", RunMessage.text("a")).english())
        .isEqualTo("run.message.noSuchKey a");
    assertThat(new RunMessage("run.message.pausedBy", List.of("op1"), List.of("text")).english())
        .isEqualTo("paused by op1");
  }
}
