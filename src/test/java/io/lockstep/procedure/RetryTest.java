package io.lockstep.procedure;

import static io.lockstep.procedure.AProcedure.yamlWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a step is retried: the waits between its attempts (delay × backoff^(n-1), at most 5 m), the
 * bound on the whole series, what the preview says, and the reader's refusals of keys that make
 * no schedule.
 */
class RetryTest {

  private final ProcedureLoader loader = new ProcedureLoader(StepTypes.documented());

  @Test
  void theWaitsGrowByTheBackoffAndStopAtFiveMinutes() {
    Retry retry = new Retry(6, Duration.ofSeconds(1), 1.5, Duration.ofSeconds(40));
    assertThat(retry.attempts()).isEqualTo(7);
    assertThat(retry.waits()).containsExactly(Duration.ofMillis(1000), Duration.ofMillis(1500), Duration.ofMillis(2250),
        Duration.ofMillis(3375), Duration.ofMillis(5063), Duration.ofMillis(7594));
    assertThat(new Retry(4, Duration.ofMinutes(2), 10, null).waits())
        .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThat(new Retry(3, Duration.ofSeconds(3), 1, null).waits()).containsOnly(Duration.ofSeconds(3));
    assertThatThrownBy(() -> retry.waitAfter(7)).hasMessageContaining("not followed by another");
    assertThatThrownBy(() -> retry.waitAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBoundCountsFromTheStartOfTheFirstAttemptToTheStartOfTheNext() {
    Retry retry = new Retry(5, Duration.ofSeconds(2), 2, Duration.ofSeconds(20));
    // after attempt 3 the wait is 8 s: the next would start 8 s after "elapsed"
    assertThat(retry.mayRetryAfter(3, Duration.ofSeconds(12))).isTrue();
    assertThat(retry.mayRetryAfter(3, Duration.ofMillis(12_001))).isFalse();
    assertThat(retry.mayRetryAfter(5, Duration.ZERO)).as("the attempts are used up").isFalse();
    assertThat(retry.mayRetryAfter(0, Duration.ZERO)).isFalse();
    assertThat(Retry.NONE.mayRetryAfter(1, Duration.ZERO)).isFalse();
  }

  @Test
  void withoutAStatedBoundOnlyTheNumberOfAttemptsBoundsTheSeries() {
    Retry retry = Retry.of(5);
    assertThat(retry.within()).isEqualTo(Retry.MAX_WITHIN);
    // the waits sum to 62 s; attempts take time too, and the sixth attempt still comes
    assertThat(retry.mayRetryAfter(5, Duration.ofSeconds(45))).isTrue();
    assertThat(retry.describe()).isEqualTo("up to 6 attempts, waiting 2s, 4s, 8s, 16s… between them");
  }

  @Test
  void describeSaysTheAttemptsTheWaitsAndTheBound() {
    assertThat(new Retry(6, Duration.ofSeconds(1), 1.5, Duration.ofSeconds(40)).describe())
        .isEqualTo("up to 7 attempts, waiting 1s, 1s500ms, 2s250ms, 3s375ms… between them, all within 40s");
    assertThat(new Retry(2, Duration.ofSeconds(5), 1, Duration.ofMinutes(1)).describe())
        .isEqualTo("up to 3 attempts, waiting 5s, 5s between them, all within 1m");
    assertThat(Retry.NONE.describe()).isEmpty();
  }

  @Test
  void aScheduleThatCannotWorkIsRefused() {
    assertThatThrownBy(() -> new Retry(11, null, 2, null)).hasMessageContaining("allowed are 0 to 10");
    assertThatThrownBy(() -> new Retry(2, Duration.ZERO, 2, null)).hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> new Retry(2, Duration.ofMinutes(6), 2, null)).hasMessageContaining("at most 5m");
    assertThatThrownBy(() -> new Retry(2, null, 0.5, null)).hasMessageContaining("between 1 and 10");
    assertThatThrownBy(() -> new Retry(2, null, Double.NaN, null)).hasMessageContaining("between 1 and 10");
    assertThatThrownBy(() -> new Retry(2, Duration.ofSeconds(10), 2, Duration.ofSeconds(5)))
        .hasMessageContaining("no retry could ever start");
    assertThatThrownBy(() -> new Retry(2, null, 2, Duration.ofHours(3))).hasMessageContaining("at most 2h");
  }

  @Test
  void theReaderTakesTheRetryKeys() {
    Step step = loader.load("x.yml", yamlWith("repeatable: true", "repeatable: true\n        retries: 6"
        + "\n        retry_delay: 1s\n        retry_backoff: 1.5\n        retry_within: 40s"), false)
        .procedure().phases().get(0).steps().get(0);
    assertThat(step.retry()).isEqualTo(new Retry(6, Duration.ofSeconds(1), 1.5, Duration.ofSeconds(40)));
  }

  @Test
  void theReaderRefusesRetryKeysThatMakeNoSchedule() {
    assertThat(problems("retries: 0\n      retry_delay: 1s")).singleElement().asString()
        .contains("'retry_delay' of step 'kubelet' needs 'retries' above 0");
    assertThat(problems("retry_backoff: 2")).singleElement().asString()
        .contains("'retry_backoff' of step 'kubelet' needs 'retries' above 0");
    assertThat(problems("retries: 3\n      retry_delay: 0s")).singleElement().asString()
        .contains("step 'kubelet'").contains("longer than zero");
    assertThat(problems("retries: 3\n      retry_backoff: 20")).singleElement().asString()
        .contains("retry_backoff must be between 1 and 10");
    assertThat(problems("retries: 3\n      retry_delay: 10s\n      retry_within: 5s")).singleElement().asString()
        .contains("no retry could ever start");
    assertThat(problems("retries: 3\n      retry_delay: soon")).isNotEmpty();
    assertThat(problems("retries: 11")).singleElement().asString().contains("at most 10");
  }

  @Test
  void aRetriedStepMustBeRepeatableAndSoMustAGuard() {
    List<String> retried = problemsOf(yamlWith("repeatable: true", "repeatable: false\n        retries: 2"));
    assertThat(retried).singleElement().asString().contains("is not repeatable");
    List<String> guard = problemsOf(yamlWith("repeatable: true", "repeatable: false\n        guard: true"));
    assertThat(guard).singleElement().asString().contains("is a guard but not repeatable");
  }

  /** The sample with {@code keys} (lines of one step, indented as its other keys) added to its step. */
  private List<String> problems(String keys) {
    return problemsOf(yamlWith("repeatable: true", "repeatable: true\n        " + keys.replace("\n      ", "\n        ")));
  }

  private List<String> problemsOf(String text) {
    try {
      loader.load("x.yml", text, false);
      return List.of();
    } catch (ProcedureLoadException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }
}
