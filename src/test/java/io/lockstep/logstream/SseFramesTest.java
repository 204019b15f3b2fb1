package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void eventsFollowTheEventStreamFormat() {
    String text = new SseFrames().retry(2000).line(7, "<div>a</div>").comment("heartbeat").end(7).toString();
    assertThat(text).isEqualTo(
        "retry:2000\n\nid:7\nevent:line\ndata:<div>a</div>\n\n:heartbeat\n\nevent:end\ndata:7\n\n");
  }

  @Test
  void lineBreaksInDataBecomeSeveralDataLines() {
    assertThat(new SseFrames().line(1, "a\nb\r\nc\rd").toString())
        .isEqualTo("id:1\nevent:line\ndata:a\ndata:b\ndata:c\ndata:d\n\n");
  }

  @Test
  void aLastEventIdIsASeqOrNothing() {
    assertThat(LogStreamController.seqOrNull("42")).isEqualTo(42L);
    assertThat(LogStreamController.seqOrNull(" 42 ")).isEqualTo(42L);
    assertThat(LogStreamController.seqOrNull("-1")).isNull();
    assertThat(LogStreamController.seqOrNull("abc")).isNull();
    assertThat(LogStreamController.seqOrNull(null)).isNull();
  }
}
