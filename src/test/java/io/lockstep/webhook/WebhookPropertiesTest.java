package io.lockstep.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The settings as a site writes them, and what the console says when they do not fit. */
class WebhookPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(WebhookProperties.class)
  static class Settings {}

  final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);

  @Test
  void defaultsAreOffWithFiveSecondsAndThreeRetries() {
    runner.run(context -> {
      WebhookProperties properties = context.getBean(WebhookProperties.class);
      assertThat(properties.enabled()).isFalse();
      assertThat(properties.timeout()).hasSeconds(5);
      assertThat(properties.retries()).isEqualTo(3);
      assertThat(properties.queueCapacity()).isEqualTo(100);
    });
  }

  @Test
  void aUrlNeedsTheConsoleUrlForTheLinks() {
    runner.withPropertyValues("lockstep.webhook.url=https://chat.example.internal/hooks/x")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("lockstep.webhook.console-url is needed"));
  }

  @Test
  void onlyHttpReceiversAreAccepted() {
    runner.withPropertyValues("lockstep.webhook.url=ftp://chat.example.internal/x",
            "lockstep.webhook.console-url=https://lockstep.example.internal")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("http or https"));
  }

  @Test
  void theSecretAndTheReceiversPathStayOutOfToString() {
    runner.withPropertyValues("lockstep.webhook.url=https://user:pw@chat.example.internal:8443/hooks/T01/B02?key=k9",
            "lockstep.webhook.secret=very-secret", "lockstep.webhook.console-url=https://lockstep.example.internal")
        .run(context -> {
          WebhookProperties properties = context.getBean(WebhookProperties.class);
          assertThat(properties.receiver()).isEqualTo("https://chat.example.internal:8443");
          assertThat(properties.toString()).contains("signed=true").doesNotContain("very-secret")
              .doesNotContain("T01").doesNotContain("k9").doesNotContain("pw");
        });
  }
}
