package io.lockstep.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.RunNotifications.ApprovalWaiting;
import io.lockstep.run.RunNotifications.ChecklistWaiting;
import io.lockstep.run.RunNotifications.RunStopped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook in a small Spring context, publishing the engine's notifications as the engine does,
 * to a real HTTP server on 127.0.0.1.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookNotifierTest {

  static final String SECRET = "webhook-signing-key-42";
  static final String HOOK_PATH = "/hooks/T0001/B0002?key=path-secret";
  static final Instant AT = Instant.parse("2026-11-25T20:00:00Z");
  static final ApprovalWaiting WAITING = new ApprovalWaiting("r-42", "restart-worker-node", "Restart one worker node",
      "stop-node", "Stop the node", "op1", "3f2a9c", AT);

  final JsonMapper json = JsonMapper.builder().build();
  final List<AutoCloseable> closeLater = new ArrayList<>();

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(WebhookProperties.class)
  @Import(WebhookNotifier.class)
  static class Webhook {}

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
  }

  @Test
  void aWaitingApprovalIsPostedAsJsonSignedOverTheBodyWithALinkToTheRun() {
    Receiver receiver = receiver();
    withWebhook(receiver, context -> {
      context.publishEvent(WAITING);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
    }, "lockstep.webhook.secret=" + SECRET, "lockstep.webhook.console-url=https://lockstep.example.internal/");

    Receiver.Received post = receiver.received().get(0);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.pathAndQuery()).isEqualTo(HOOK_PATH);
    assertThat(post.header("Content-Type")).isEqualTo("application/json");
    assertThat(post.header("X-Lockstep-Event")).isEqualTo("approval.waiting");
    assertThat(post.header("X-Lockstep-Delivery")).isNotBlank();
    assertThat(post.header("X-Lockstep-Signature")).isEqualTo("sha256=" + hmacSha256(SECRET, post.bytes()));
    assertThat(post.body()).doesNotContain(SECRET);

    JsonNode doc = json.readTree(post.body());
    assertThat(doc.get("event").asString()).isEqualTo("approval.waiting");
    assertThat(doc.get("run").asString()).isEqualTo("r-42");
    assertThat(doc.get("procedure").get("id").asString()).isEqualTo("restart-worker-node");
    assertThat(doc.get("procedure").get("name").asString()).isEqualTo("Restart one worker node");
    assertThat(doc.get("phase").get("id").asString()).isEqualTo("stop-node");
    assertThat(doc.get("phase").get("name").asString()).isEqualTo("Stop the node");
    assertThat(doc.get("message").asString()).contains("Stop the node").contains("r-42").contains("op1");
    assertThat(doc.get("link").asString()).isEqualTo("https://lockstep.example.internal/runs/r-42");
    assertThat(doc.get("at").asString()).isEqualTo("2026-11-25T20:00:00Z");
    assertThat(doc.get("requester").asString()).isEqualTo("op1");
    assertThat(doc.get("planHash").asString()).isEqualTo("3f2a9c");
  }

  @Test
  void aManualStepWaitingIsAnnouncedSignedWithItsStepAndChecklist() {
    Receiver receiver = receiver();
    withWebhook(receiver, context -> {
      context.publishEvent(new ChecklistWaiting("r-43", "proton-node-migration", "Proton node migration", "prewarm",
          "Image pre-warm", "prewarm.pull-images", "Images pulled on the new nodes", "op1",
          List.of("Images pulled on node-4"), AT));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
    }, "lockstep.webhook.secret=" + SECRET, "lockstep.webhook.console-url=https://lockstep.example.internal/");

    Receiver.Received post = receiver.received().get(0);
    assertThat(post.header("X-Lockstep-Event")).isEqualTo("manual-step.waiting");
    assertThat(post.header("X-Lockstep-Signature")).isEqualTo("sha256=" + hmacSha256(SECRET, post.bytes()));
    JsonNode doc = json.readTree(post.body());
    assertThat(doc.get("event").asString()).isEqualTo("manual-step.waiting");
    assertThat(doc.get("run").asString()).isEqualTo("r-43");
    assertThat(doc.get("phase").get("name").asString()).isEqualTo("Image pre-warm");
    assertThat(doc.get("step").get("key").asString()).isEqualTo("prewarm.pull-images");
    assertThat(doc.get("step").get("name").asString()).isEqualTo("Images pulled on the new nodes");
    assertThat(doc.get("checklist").get(0).asString()).isEqualTo("Images pulled on node-4");
    assertThat(doc.get("requester").asString()).isEqualTo("op1");
    assertThat(doc.get("message").asString()).contains("Images pulled on the new nodes").contains("r-43")
        .contains("tick its checklist");
    assertThat(doc.get("link").asString()).isEqualTo("https://lockstep.example.internal/runs/r-43");
  }

  @Test
  void stoppedRunsAreNamedByWhyTheyStoppedAndWithoutASecretNoSignatureIsSent() {
    Receiver receiver = receiver();
    withWebhook(receiver, context -> {
      context.publishEvent(new RunStopped("r-7", "rotate-secret", "Rotate a secret", "FAILED", "apply.patch",
          "exit status 1: permission denied", AT));
      context.publishEvent(new RunStopped("r-8", "rotate-secret", "Rotate a secret", "NEEDS_DECISION", null,
          "the console restarted during a step that must not be repeated", AT.plusSeconds(60)));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 2);
    });

    JsonNode failed = json.readTree(receiver.received().get(0).body());
    assertThat(failed.get("event").asString()).isEqualTo("run.failed");
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("step").asString()).isEqualTo("apply.patch");
    assertThat(failed.get("phase").get("id").asString()).isEqualTo("apply");
    assertThat(failed.get("message").asString()).isEqualTo("exit status 1: permission denied");
    assertThat(failed.get("link").asString()).isEqualTo("https://lockstep.example.internal/runs/r-7");
    JsonNode decision = json.readTree(receiver.received().get(1).body());
    assertThat(decision.get("event").asString()).isEqualTo("run.needs-decision");
    assertThat(decision.get("phase").isNull()).isTrue();
    assertThat(decision.get("at").asString()).isEqualTo("2026-11-25T20:01:00Z");
    assertThat(receiver.received().get(0).header("X-Lockstep-Signature")).isNull();
  }

  @Test
  void serverErrorsAreRetriedWithTheSameDeliveryUntilTheReceiverTakesIt(CapturedOutput output) {
    Receiver receiver = receiver().answering(500, 503);
    withWebhook(receiver, context -> {
      context.publishEvent(WAITING);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 3);
    }, "lockstep.webhook.secret=" + SECRET);

    List<Receiver.Received> posts = receiver.received();
    assertThat(posts).extracting(p -> p.header("X-Lockstep-Delivery")).containsOnly(posts.get(0).header("X-Lockstep-Delivery"));
    assertThat(posts).extracting(Receiver.Received::body).containsOnly(posts.get(0).body());
    assertThat(output.getAll()).doesNotContain("was not delivered");
  }

  @Test
  void afterThreeRetriesTheFailureIsLoggedWithoutTheSecretOrTheReceiversPath(CapturedOutput output) {
    Receiver receiver = receiver().answering(500, 500, 500, 500, 500, 500);
    withWebhook(receiver, context -> {
      context.publishEvent(WAITING);
      await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("was not delivered"));
    }, "lockstep.webhook.secret=" + SECRET);

    assertThat(receiver.received()).as("one attempt and three retries").hasSize(4);
    assertThat(output.getAll()).contains("HTTP 500").contains("http://127.0.0.1:")
        .doesNotContain(SECRET).doesNotContain("T0001").doesNotContain("path-secret");
  }

  @Test
  void aClientErrorIsNotRetried(CapturedOutput output) {
    Receiver receiver = receiver().answering(404);
    withWebhook(receiver, context -> {
      context.publishEvent(WAITING);
      await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("was not delivered"));
    });
    assertThat(receiver.received()).hasSize(1);
    assertThat(output.getAll()).contains("HTTP 404");
  }

  @Test
  void withoutAUrlNothingIsSent() throws InterruptedException {
    Receiver receiver = receiver();
    new ApplicationContextRunner().withUserConfiguration(Webhook.class)
        .withPropertyValues("lockstep.webhook.console-url=https://lockstep.example.internal")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(WebhookNotifier.class);
          context.publishEvent(WAITING);
          context.publishEvent(new RunStopped("r-7", "p", "P", "FAILED", null, "failed", AT));
        });
    Thread.sleep(300);
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aSlowReceiverDoesNotHoldUpThePublisher() {
    Receiver receiver = receiver().slow(Duration.ofMillis(800));
    withWebhook(receiver, context -> {
      long took = timed(context, 3);
      assertThat(took).as("publishing 3 events took %d ms", took).isLessThan(300);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 3);
    });
  }

  @Test
  void anUnreachableReceiverDoesNotHoldUpThePublisherAndTimesOut(CapturedOutput output) throws IOException {
    // A socket that is listening but never accepts: connections hang until the timeout.
    try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      new ApplicationContextRunner().withUserConfiguration(Webhook.class)
          .withPropertyValues("lockstep.webhook.url=http://127.0.0.1:" + blackHole.getLocalPort() + HOOK_PATH,
              "lockstep.webhook.console-url=https://lockstep.example.internal",
              "lockstep.webhook.timeout=300ms", "lockstep.webhook.retries=1", "lockstep.webhook.backoff=10ms")
          .run(context -> {
            long took = timed(context, 2);
            assertThat(took).as("publishing took %d ms", took).isLessThan(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("was not delivered"));
          });
    }
    assertThat(output.getAll()).contains("HttpTimeoutException").doesNotContain("path-secret");
  }

  @Test
  void whenTheQueueIsFullNotificationsAreDroppedNotWaitedFor(CapturedOutput output) {
    Receiver receiver = receiver().slow(Duration.ofMillis(500));
    withWebhook(receiver, context -> {
      long took = timed(context, 6);
      assertThat(took).as("publishing took %d ms", took).isLessThan(300);
      assertThat(output.getAll()).contains("dropped");
    }, "lockstep.webhook.queue-capacity=1");
  }

  private long timed(ApplicationEventPublisher events, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      events.publishEvent(new ApprovalWaiting("r-" + i, "p", "P", "ph", "Ph", "op1", "h", AT));
    }
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private void withWebhook(Receiver receiver, Consumer<AssertableApplicationContext> test, String... properties) {
    new ApplicationContextRunner().withUserConfiguration(Webhook.class)
        .withPropertyValues("lockstep.webhook.url=" + receiver.url(HOOK_PATH),
            "lockstep.webhook.console-url=https://lockstep.example.internal", "lockstep.webhook.backoff=10ms")
        .withPropertyValues(properties)
        .run(context -> {
          assertThat(context).hasNotFailed();
          test.accept(context);
        });
  }

  private Receiver receiver() {
    Receiver receiver = new Receiver();
    closeLater.add(receiver);
    return receiver;
  }

  /** Computed here, independently of the production code, as a receiver would. */
  private static String hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
