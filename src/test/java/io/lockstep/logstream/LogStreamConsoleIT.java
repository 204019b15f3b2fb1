package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.logstream.SseClient.Event;
import io.lockstep.system.SecretMasker;
import io.lockstep.testing.LabConsoleTest;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A run's log streamed over real HTTP by the whole console, read by a client that speaks SSE on a socket. */
class LogStreamConsoleIT extends LabConsoleTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final Map<String, String> VIEWER = Map.of("Authorization", SseClient.basic("viewer", DEMO_PASSWORD));

  final int port;
  final RunLog runLog;
  final LogSubscribers subscribers;
  final SecretMasker masker;
  String run;

  LogStreamConsoleIT(@LocalServerPort int port, @Autowired RunLog runLog, @Autowired LogSubscribers subscribers,
      @Autowired SecretMasker masker) {
    this.port = port;
    this.runLog = runLog;
    this.subscribers = subscribers;
    this.masker = masker;
  }

  @BeforeEach
  void newRun() {
    run = "it-" + UUID.randomUUID().toString().substring(0, 12);
  }

  @Test
  void aReaderThatReconnectsWithLastEventIdGetsEveryLineExactlyOnceInOrder() throws Exception {
    runLog.appendAll(run, ARunLog.lines("copy", 1, 10));
    List<Event> received = new ArrayList<>();
    try (SseClient first = open("/api/runs/" + run + "/log", VIEWER)) {
      received.addAll(first.lines(10, WAIT));
    }
    runLog.appendAll(run, ARunLog.lines("copy", 11, 10));
    String lastEventId = received.get(received.size() - 1).id();
    try (SseClient again = open("/api/runs/" + run + "/log", Map.of("Authorization", VIEWER.get("Authorization"), "Last-Event-ID", lastEventId))) {
      received.addAll(again.lines(10, WAIT));
      runLog.appendAll(run, ARunLog.lines("copy", 21, 3));
      runLog.append(run, LogLine.out("copy", "node-1", "line 24"));
      received.addAll(again.lines(4, WAIT));
      runLog.finish(run);
      assertThat(again.next(WAIT).name()).isEqualTo("end");
      assertThat(again.next(WAIT)).as("the stream ends after the end event").isSameAs(SseClient.CLOSED);
    }

    assertThat(received).extracting(Event::id)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 24).mapToObj(Long::toString).toList());
    assertThat(received.get(23).data()).contains("line 24");
  }

  @Test
  void aFirstConnectStartsWithTheTailOrAfterTheLastEventIdQueryParameter() throws Exception {
    for (int i = 0; i < 6; i++) {
      runLog.appendAll(run, ARunLog.lines("drain", i * 100 + 1, 100));
    }
    try (SseClient tail = open("/api/runs/" + run + "/log", VIEWER)) {
      assertThat(tail.lines(500, WAIT)).extracting(Event::id).startsWith("101").endsWith("600");
    }
    try (SseClient resumed = open("/api/runs/" + run + "/log?lastEventId=590", VIEWER)) {
      assertThat(resumed.lines(10, WAIT)).extracting(Event::id).startsWith("591").endsWith("600");
    }
  }

  @Test
  void markupInALineArrivesEscapedAndSecretsMasked() throws Exception {
    masker.runRead(run, java.util.List.of("planted-S3cret-xyz"));
    runLog.append(run, LogLine.err("exec", "node-3", "<script>alert('x')</script> & <b>bold</b>"));
    runLog.append(run, LogLine.out("exec", "node-3", "token planted-S3cret-xyz used"));
    try (SseClient client = open("/runs/" + run + "/log/stream", VIEWER)) {
      List<Event> events = client.lines(2, WAIT);
      assertThat(events.get(0).data())
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
          .doesNotContain("<script>").doesNotContain("<b>")
          .contains("data-seq=\"1\"").contains("ls-log-err").contains("node-3");
      assertThat(events.get(1).data()).doesNotContain("planted-S3cret-xyz").contains(SecretMasker.MASK);
    }
  }

  @Test
  void apiClientsCanAskForJson() throws Exception {
    runLog.append(run, LogLine.sys("approve", "phase 1 approved by \"ap1\""));
    try (SseClient client = open("/api/runs/" + run + "/log?format=json", VIEWER)) {
      JsonNode line = JsonMapper.builder().build().readTree(client.lines(1, WAIT).get(0).data());
      assertThat(line.get("seq").asLong()).isEqualTo(1);
      assertThat(line.get("stream").asString()).isEqualTo("sys");
      assertThat(line.get("step").asString()).isEqualTo("approve");
      assertThat(line.get("text").asString()).isEqualTo("phase 1 approved by \"ap1\"");
      assertThat(line.get("at").asString()).endsWith("Z");
    }
  }

  @Test
  void aQuietStreamGetsHeartbeats() throws Exception {
    runLog.appendAll(run, ARunLog.lines("s", 1, 1)); // a run with a log: an unknown one is 404
    try (SseClient client = open("/api/runs/" + run + "/log?lastEventId=1", VIEWER)) {
      await().atMost(Duration.ofSeconds(25)).until(() -> client.comments().contains("heartbeat"));
      assertThat(client.comments()).first().asString().startsWith("log of run " + run);
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void theLogOfAnUnknownRunIsNotFoundAtOnce() throws Exception {
    try (SseClient api = open("/api/runs/" + run + "/log", VIEWER)) {
      assertThat(api.status()).isEqualTo(404);
      assertThat(String.valueOf(api.header("Content-Type"))).startsWith("application/problem+json");
    }
  }

  @Test
  void aFinishedRunSendsEverythingAndEnds() throws Exception {
    runLog.appendAll(run, ARunLog.lines("s", 1, 3));
    runLog.finish(run);
    try (SseClient client = open("/api/runs/" + run + "/log", VIEWER)) {
      assertThat(client.lines(3, WAIT)).extracting(Event::id).containsExactly("1", "2", "3");
      Event end = client.next(WAIT);
      assertThat(end.name()).isEqualTo("end");
      assertThat(end.data()).isEqualTo("3");
      assertThat(client.next(WAIT)).isSameAs(SseClient.CLOSED);
    }
  }

  @Test
  void aStalledReaderHoldsBackNeitherTheRunNorOtherReaders() throws Exception {
    List<Event> received = new CopyOnWriteArrayList<>();
    runLog.appendAll(run, ARunLog.lines("start", 1, 1)); // a run with a log: an unknown one is 404
    try (Socket stalled = SseClient.stall(port, "/api/runs/" + run + "/log?lastEventId=1", VIEWER);
        FollowingReader reader = new FollowingReader(port, "/api/runs/" + run + "/log?lastEventId=1", VIEWER,
            Duration.ofMillis(200), received::add)) {
      assertThat(stalled.isConnected()).isTrue();
      await().atMost(WAIT).until(() -> subscribers.count(run) == 2);
      long slowest = 0;
      for (int batch = 0; batch < 60; batch++) {
        long start = System.nanoTime();
        runLog.appendAll(run, ARunLog.lines("flood", batch * 500 + 1, 500));
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
      runLog.finish(run);

      await("the other reader got every line").atMost(Duration.ofSeconds(30)).until(reader::ended);
      assertThat(received).extracting(Event::id)
          .containsExactlyElementsOf(LongStream.rangeClosed(2, 30_001).mapToObj(Long::toString).toList());
      assertThat(slowest).as("no append waited for a reader (ns)").isLessThan(Duration.ofSeconds(2).toNanos());
      await("the stalled reader is dropped").atMost(WAIT).until(() -> subscribers.count(run) == 0);
    }
  }

  @Test
  void pagesNeedALoginAndTheApiHttpBasic() throws Exception {
    runLog.appendAll(run, ARunLog.lines("s", 1, 1));
    try (SseClient anonymousPage = open("/runs/" + run + "/log/stream", Map.of())) {
      assertThat(anonymousPage.status()).isEqualTo(302);
    }
    try (SseClient anonymousApi = open("/api/runs/" + run + "/log", Map.of())) {
      assertThat(anonymousApi.status()).as("scripts get a Basic challenge, not a login redirect").isEqualTo(401);
      assertThat(String.valueOf(anonymousApi.header("Content-Type"))).doesNotStartWith("text/event-stream");
    }
    try (SseClient viewer = open("/api/runs/" + run + "/log", VIEWER)) {
      assertThat(viewer.status()).isEqualTo(200);
      assertThat(viewer.header("Content-Type")).startsWith("text/event-stream");
    }
  }

  private SseClient open(String path, Map<String, String> headers) throws Exception {
    return SseClient.open(port, path, headers);
  }

}
