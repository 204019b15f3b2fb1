package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A stopping console ends the pages' change streams before its web server waits for requests in
 * progress (an open stream is one): otherwise every stop waited the whole shutdown timeout while a
 * page watched.
 */
class RunChangesTest {

  @Test
  void stoppingEndsEveryOpenStreamBeforeTheWebServerShutsDown() throws Exception {
    RunChanges changes = new RunChanges();
    changes.start();
    SseEmitter page = changes.subscribe("run-1");
    SseEmitter dashboard = changes.subscribe(null);
    page.send(SseEmitter.event().comment("open"));

    changes.stop();

    assertThatThrownBy(() -> page.send(SseEmitter.event().comment("after"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> dashboard.send(SseEmitter.event().comment("after"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> changes.subscribe("run-1").send(SseEmitter.event().comment("late")))
        .as("a stream asked for while stopping ends at once").isInstanceOf(IllegalStateException.class);
    // stopped before the web server's graceful shutdown (Spring Boot's WebServerGracefulShutdownLifecycle)
    assertThat(changes.getPhase()).isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 2048);
    changes.destroy();
  }

  @Test
  void startedAgainItTakesNewStreams() throws Exception {
    RunChanges changes = new RunChanges();
    changes.start();
    changes.stop();
    changes.start();
    changes.subscribe("run-1").send(SseEmitter.event().comment("open"));
    changes.destroy();
  }
}
