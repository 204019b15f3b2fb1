package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.system.SecretMasker;
import org.junit.jupiter.api.Test;

class LineTextTest {

  final SecretMasker masker = new SecretMasker();
  final LineText text = new LineText(200);

  @Test
  void terminalEscapesGoAndOtherControlCharactersBecomeSpaces() {
    assertThat(text.clean("\u001B[1;32mOK\u001B[0m  \u001B]0;title\u0007done\u0000\u007F\ttab", masker.forRun("run-1")))
        .isEqualTo("OK  done  \ttab");
  }

  @Test
  void aLongLineIsCutToTheLimitWithAMarkerSayingHowMuch() {
    String cut = text.clean("a".repeat(1000), masker.forRun("run-1"));
    assertThat(cut).hasSize(200).endsWith(" … [" + (1000 - cut.indexOf(' ')) + " more characters cut]");
    assertThat(text.clean("b".repeat(200), masker.forRun("run-1"))).isEqualTo("b".repeat(200));
  }

  @Test
  void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
    String emoji = "😀".repeat(500);
    String cut = text.clean(emoji, masker.forRun("run-1"));
    assertThat(cut.length()).isLessThanOrEqualTo(200);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf(" …") - 1))).isFalse();
  }

  @Test
  void secretsAreMaskedBeforeTheCutSoAHalfSecretCannotSlipThrough() {
    masker.runRead("run-1", java.util.List.of("s3cr3t-value-42"));
    String line = "x".repeat(165) + " s3cr3t-value-42 " + "y".repeat(100);
    assertThat(text.clean(line, masker.forRun("run-1"))).doesNotContain("s3cr3t").doesNotContain("value-42");
  }

  @Test
  void theLimitMustFitTheColumn() {
    assertThatThrownBy(() -> new LineText(9000)).hasMessageContaining("between 200 and 8000");
  }
}
