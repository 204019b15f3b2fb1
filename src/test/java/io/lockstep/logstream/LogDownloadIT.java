package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.LabConsoleTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The full log of a run as a text download, over real HTTP from the whole console. */
class LogDownloadIT extends LabConsoleTest {

  final int port;
  final RunLog runLog;
  final String run = "dl-" + UUID.randomUUID().toString().substring(0, 12);

  LogDownloadIT(@LocalServerPort int port, @Autowired RunLog runLog) {
    this.port = port;
    this.runLog = runLog;
  }

  @Test
  void theFullLogDownloadsAsAFile() throws Exception {
    for (int i = 0; i < 5; i++) {
      runLog.appendAll(run, ARunLog.lines("copy", i * 1000 + 1, 1000));
    }
    HttpResponse<Stream<String>> download = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri("/api/runs/" + run + "/log.txt"))
            .header("Authorization", SseClient.basic("viewer", DEMO_PASSWORD)).build(),
        HttpResponse.BodyHandlers.ofLines());

    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"run-" + run + ".log\"");
    assertThat(download.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    List<String> lines = download.body().toList();
    assertThat(lines).hasSize(5000);
    assertThat(lines.get(4999)).startsWith("5000\t").endsWith("\tout\tcopy\tnode-1\tline 5000");
  }

  @Test
  void aDownloadNeedsALoginOrHttpBasic() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Void> page = http.send(HttpRequest.newBuilder(uri("/runs/" + run + "/log.txt"))
        .header("Accept", "text/html,*/*").build(), HttpResponse.BodyHandlers.discarding());
    HttpResponse<Void> api = http.send(HttpRequest.newBuilder(uri("/api/runs/" + run + "/log.txt")).build(),
        HttpResponse.BodyHandlers.discarding());

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
    assertThat(api.statusCode()).isEqualTo(401);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
