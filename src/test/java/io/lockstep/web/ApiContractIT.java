package io.lockstep.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.testing.LabConsoleTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document against what the API answers: every operation it lists is called (happy
 * paths where the lab allows, and its error paths), and each answer's status must be one the
 * document lists for that operation, its media type one listed for that status, and its body valid
 * against the schema listed for both. Errors everywhere under {@code /api} are problems, never HTML
 * and never 5xx, hostile URLs included.
 */
class ApiContractIT extends LabConsoleTest {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String PASSWORD = DEMO_PASSWORD;
  /** A body every operation with one accepts as well formed, so an unknown id is what it refuses. */
  static final String ANY_BODY = "{\"comment\":\"c\",\"reason\":\"r\",\"planHash\":\"h\",\"itemsChecked\":1,"
      + "\"title\":\"t\",\"planId\":\"nope\",\"label\":\"l\"}";

  final int port;
  final RunLog runLog;
  final JdbcClient jdbc;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  JsonNode doc;
  final List<String> checked = new ArrayList<>();

  @Autowired
  ApiContractIT(@Value("${local.server.port}") int port, RunLog runLog, DataSource dataSource) {
    this.port = port;
    this.runLog = runLog;
    this.jdbc = JdbcClient.create(dataSource);
  }

  @BeforeEach
  void readTheDocument() throws Exception {
    Answer answer = send("GET", "/v3/api-docs", null, null, null);
    assertThat(answer.status).isEqualTo(200);
    doc = JSON.readTree(answer.body);
  }

  @Test
  void theDocumentNamesConcreteMediaTypesAndNoFrameworkTypes() {
    String text = doc.toString();
    assertThat(text).doesNotContain("*/*").doesNotContain("SseEmitter").doesNotContain("StreamingResponseBody");
    assertThat(doc.path("components").path("schemas").has("Problem")).isTrue();
    assertThat(doc.path("components").path("schemas").has("LogEvent")).isTrue();
    assertThat(doc.path("components").path("schemas").has("LogLine")).isTrue();
    assertThat(doc.at("/paths/~1api~1plans/post/responses").has("201")).isTrue();
    assertThat(doc.at("/paths/~1api~1plans/post/responses").has("200")).isFalse();
    assertThat(doc.at("/paths/~1api~1runs/post/responses").has("201")).isTrue();
    assertThat(doc.at("/paths/~1api~1tokens/post/responses").has("201")).isTrue();
    assertThat(doc.at("/paths/~1api~1tokens~1{id}/delete/responses").has("204")).isTrue();
    assertThat(doc.at("/paths/~1api~1runs~1{runId}~1log/get/responses/200/content").has("text/event-stream")).isTrue();
    assertThat(doc.at("/paths/~1api~1runs~1{runId}~1audit.pdf/get/responses/200/content").has("application/pdf")).isTrue();
    doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      JsonNode responses = op.getValue().path("responses");
      for (String code : List.of("400", "401", "404", "500")) {
        assertThat(responses.path(code).path("content").has("application/problem+json"))
            .as("%s %s documents a %s problem", op.getKey(), path.getKey(), code).isTrue();
      }
    }));
  }

  @Test
  void happyPathsAnswerWhatTheDocumentSays() throws Exception {
    for (String path : List.of("/api/inventory", "/api/procedures", "/api/kubernetes/status", "/api/audit",
        "/api/audit/verify", "/api/plans", "/api/runs", "/api/tokens")) {
      expect(call("GET", path, path, "viewer", null), 200);
    }
    Answer plan = call("POST", "/api/plans", "/api/plans", "op1",
        "{\"procedure\":\"engine-test\",\"title\":\"contract\",\"values\":{\"password\":\"pw-contract\"}}");
    expect(plan, 201);
    String planId = JSON.readTree(plan.body).path("id").asString();
    assertThat(plan.headers.get("location")).isEqualTo("/api/plans/" + planId);
    expect(call("GET", "/api/plans/" + planId, "/api/plans/{id}", "viewer", null), 200);
    Answer edited = call("PUT", "/api/plans/" + planId, "/api/plans/{id}", "op1",
        "{\"title\":\"contract 2\",\"values\":{\"password\":\"pw-contract\"}}");
    expect(edited, 200);
    Answer run = call("POST", "/api/runs", "/api/runs", "op2", "{\"planId\":\"" + planId + "\"}");
    expect(run, 201);
    String runId = JSON.readTree(run.body).path("run").path("id").asString(JSON.readTree(run.body).path("id").asString());
    assertThat(run.headers.get("location")).startsWith("/api/runs/");
    runId = run.headers.get("location").substring("/api/runs/".length());
    expect(call("GET", "/api/runs/" + runId, "/api/runs/{id}", "viewer", null), 200);
    expect(call("GET", "/api/runs/" + runId + "/phases/one/preview", "/api/runs/{id}/phases/{phase}/preview", "ap1", null), 200);
    for (String format : List.of("pdf", "csv", "json")) {
      expect(call("GET", "/api/runs/" + runId + "/audit." + format, "/api/runs/{runId}/audit." + format, "viewer", null), 200);
    }
    expect(call("POST", "/api/runs/" + runId + "/recovery/check", "/api/runs/{id}/recovery/check", "op1", null), 200);
    expect(call("POST", "/api/runs/" + runId + "/abort", "/api/runs/{id}/abort", "op1", "{\"reason\":\"contract test\"}"), 200);
    Answer token = call("POST", "/api/tokens", "/api/tokens", "viewer", "{\"label\":\"contract\",\"expiresInDays\":1}");
    expect(token, 201);
    long tokenId = JSON.readTree(token.body).path("id").asLong();
    Answer revoked = call("DELETE", "/api/tokens/" + tokenId, "/api/tokens/{id}", "viewer", null);
    expect(revoked, 204);
  }

  @Test
  void theLogStreamAndDownloadMatchTheirSchemas() throws Exception {
    String run = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    runLog.appendAll(run, List.of(LogLine.out("copy", "node-1", "first line"), LogLine.err("copy", null, "second <b>")));
    runLog.finish(run);
    for (String query : List.of("?format=json", "")) {
      Answer stream = call("GET", "/api/runs/" + run + "/log" + query, "/api/runs/{runId}/log", "viewer", null);
      assertThat(stream.status).isEqualTo(200);
      List<ObjectNode> events = events(stream.body);
      assertThat(events).extracting(e -> e.path("event").asString()).containsExactly("line", "line", "end");
      for (ObjectNode event : events) {
        checkBody("/api/runs/{runId}/log", "get", stream.status, "text/event-stream", event);
      }
      if (!query.isEmpty()) {
        assertThat(events.get(0).path("data").path("text").asString()).isEqualTo("first line");
      }
    }
    expect(call("GET", "/api/runs/" + run + "/log.txt", "/api/runs/{runId}/log.txt", "viewer", null), 200);
  }

  @Test
  void theLogOfAnUnknownRunIsANotFoundProblemAtOnce() throws Exception {
    for (String path : List.of("/api/runs/no-such-run/log", "/api/runs/no-such-run/log.txt")) {
      Answer answer = call("GET", path, path.endsWith(".txt") ? "/api/runs/{runId}/log.txt" : "/api/runs/{runId}/log",
          "viewer", null);
      expect(answer, 404);
      assertThat(new String(answer.body, StandardCharsets.UTF_8)).contains("There is no run no-such-run");
    }
  }

  @Test
  void everyOperationsErrorsAreDocumentedProblems() throws Exception {
    byte[] tooLarge = ("{\"title\":\"" + "x".repeat(1_500_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      String template = path.getKey();
      String unknown = template.replaceAll("\\{[^}]+}", "nope-" + UUID.randomUUID().toString().substring(0, 6))
          .replace("/api/tokens/nope-", "/api/tokens/99999").replaceAll("/api/tokens/99999.*", "/api/tokens/999999");
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String method = op.getKey().toUpperCase();
        boolean reads = method.equals("GET");
        expect(call(method, unknown, template, null, reads ? null : "{}"), 401);
        if (template.contains("{")) {
          String user = template.startsWith("/api/tokens") ? "op1" : method.equals("GET") ? "viewer" : "lead";
          Answer missing = call(method, unknown, template, user, reads ? null : ANY_BODY);
          expect(missing, template.startsWith("/api/runs/{id}/actions") ? missing.status : 404);
          assertThat(missing.status).as("%s %s", method, unknown).isBetween(400, 499);
        }
        if (!reads && !template.startsWith("/api/tokens")) {
          expect(call(method, unknown, template, "viewer", "{}"), 403);
        }
        if (op.getValue().has("requestBody")) {
          String real = template.contains("{") ? unknown : template;
          String user = template.startsWith("/api/tokens") ? "op1" : "lead";
          expect(send(method, real, user, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), template, method, 415);
          Answer bad = send(method, real, user, "application/json", "{\"title\": [1, ".getBytes(StandardCharsets.UTF_8));
          expect(bad, template, method, 400);
          assertThat(new String(bad.body, StandardCharsets.UTF_8)).doesNotContain("Exception").doesNotContain("tools.");
        }
        if (!reads) {
          expect(send(method, template.contains("{") ? unknown : template, "lead", "application/json", tooLarge),
              template, method, 413);
        }
      }
      Answer wrongMethod = send("PATCH", template.contains("{") ? unknown : template, "lead", "application/json",
          "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(wrongMethod.status).as("PATCH %s", template).isEqualTo(405);
      validate(schemaAt("/components/schemas/Problem"), JSON.readTree(wrongMethod.body), "PATCH " + template);
      assertThat(wrongMethod.contentType).startsWith("application/problem+json");
    }
    Answer typeMismatch = call("DELETE", "/api/tokens/abc", "/api/tokens/{id}", "op1", null);
    expect(typeMismatch, 400);
    assertThat(new String(typeMismatch.body, StandardCharsets.UTF_8)).doesNotContain("For input string")
        .contains("'id' must be a whole number");
    Answer badSize = call("GET", "/api/audit?size=x", "/api/audit", "viewer", null);
    expect(badSize, 400);
    assertThat(new String(badSize.body, StandardCharsets.UTF_8)).doesNotContain("For input string");
    assertThat(checked).hasSizeGreaterThan(50);
  }

  @Test
  void hostileUrlsUnderApiAreAnsweredWithProblemsNeverHtmlNorServerErrors() throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString(("op1:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    List<String> corpus = List.of(
        "/api/runs/%2F/log", "/api/runs/a%2fb", "/api/runs/a%5Cb", "/api/runs/x;jsessionid=abc",
        "/api/runs;jsessionid=abc", "/api/runs/../plans", "/api/runs/%2e%2e/plans", "/api/runs/./x",
        "/api//runs", "/api/runs/%00", "/api/plans/a%00b", "/api/runs/%zz", "/api/runs/%", "/api/runs/%e2%82",
        "/api/runs/%C0%AE%C0%AE/plans", "/api/runs/a|b", "/api/runs/<script>", "/api/runs/%3Cscript%3E/log",
        "/api/runs/" + "a".repeat(10_240), "/api/" + "b/".repeat(5_000), "/api/runs/%E2%80%AE/log",
        "/api/tokens/1e99", "/api/tokens/-1", "/api/audit?page=%zz", "/api/audit?size=99999999999999999999");
    JsonNode problem = schemaAt("/components/schemas/Problem");
    for (String target : corpus) {
      for (String auth : java.util.Arrays.asList(basic, null)) {
        Answer answer = raw(target, auth);
        String what = target.substring(0, Math.min(80, target.length())) + (auth == null ? " (no auth)" : "");
        assertThat(answer.status).as(what).isBetween(400, 499);
        assertThat(answer.contentType).as(what).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(answer.body);
        validate(problem, body, what);
        assertThat(body.path("status").asInt()).as(what).isEqualTo(answer.status);
        assertThat(body.toString()).as(what).doesNotContain("Exception").doesNotContain("java.");
      }
    }
  }

  @Test
  void pagesKeepTheirHtmlErrorPages() throws Exception {
    Answer page = raw("/runs/%2F/log", null);
    assertThat(page.status).isEqualTo(400);
    assertThat(page.contentType).startsWith("text/html");
  }

  @Test
  void authenticatedApiRequestsAddNoLoginAttemptRows() throws Exception {
    long before = jdbc.sql("SELECT COUNT(*) FROM login_attempt").query(Long.class).single();
    for (int i = 0; i < 20; i++) {
      assertThat(send("GET", "/api/procedures", "viewer", null, null).status).isEqualTo(200);
    }
    assertThat(jdbc.sql("SELECT COUNT(*) FROM login_attempt").query(Long.class).single()).isEqualTo(before);
    Answer wrong = send("GET", "/api/procedures", "nobody-" + UUID.randomUUID(), null, null);
    expect(wrong, "/api/procedures", "GET", 401);
    assertThat(wrong.headers.get("www-authenticate")).startsWith("Basic");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM login_attempt").query(Long.class).single()).isEqualTo(before + 1);
  }

  // --- the check against the document

  private void expect(Answer answer, int status) throws Exception {
    expect(answer, answer.template, answer.method, status);
  }

  private void expect(Answer answer, String template, String method, int status) throws Exception {
    String what = method + " " + template + " (" + answer.target + ")";
    assertThat(answer.status).as(what + ": " + new String(answer.body, StandardCharsets.UTF_8)).isEqualTo(status);
    JsonNode responses = doc.path("paths").path(template).path(method.toLowerCase()).path("responses");
    assertThat(responses.isMissingNode()).as(what + " is in the document").isFalse();
    JsonNode response = responses.path(String.valueOf(answer.status));
    assertThat(response.isMissingNode()).as(what + " lists status " + answer.status).isFalse();
    if (answer.body.length == 0) {
      checked.add(what);
      return;
    }
    String media = answer.contentType.replaceAll(";.*", "").trim();
    assertThat(response.path("content").has(media)).as(what + " lists " + media + " for " + answer.status
        + " (lists " + response.path("content").propertyNames() + ")").isTrue();
    if (media.equals("application/pdf")) {
      assertThat(new String(answer.body, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    } else if (media.equals("text/event-stream")) {
      for (ObjectNode event : events(answer.body)) {
        checkBody(template, method.toLowerCase(), answer.status, media, event);
      }
    } else if (media.endsWith("json")) {
      checkBody(template, method.toLowerCase(), answer.status, media, JSON.readTree(answer.body));
    } else {
      checkBody(template, method.toLowerCase(), answer.status, media,
          JSON.getNodeFactory().stringNode(new String(answer.body, StandardCharsets.UTF_8)));
    }
    checked.add(what);
  }

  private void checkBody(String template, String method, int status, String media, JsonNode body) {
    JsonNode schema = doc.path("paths").path(template).path(method).path("responses").path(String.valueOf(status))
        .path("content").path(media).path("schema");
    assertThat(schema.isMissingNode()).as("%s %s %s %s has a schema", method, template, status, media).isFalse();
    validate(schema, body, method + " " + template + " " + status);
  }

  private JsonNode schemaAt(String pointer) {
    return doc.at(pointer);
  }

  /** Validates with the document's components as {@code $defs} (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
  private void validate(JsonNode schema, JsonNode value, String what) {
    ObjectNode standalone = (ObjectNode) JSON.readTree(schema.toString().replace("#/components/schemas/", "#/$defs/"));
    JsonNode defs = JSON.readTree(doc.path("components").path("schemas").toString()
        .replace("#/components/schemas/", "#/$defs/"));
    standalone.set("$defs", openApi30Nullables(defs));
    openApi30Nullables(standalone);
    Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(standalone);
    List<Error> errors = validator.validate(value);
    assertThat(errors).as("%s: %s against %s", what, value.toString().substring(0, Math.min(400, value.toString().length())),
        schema).isEmpty();
  }

  /** OpenAPI 3.0's {@code nullable: true} as JSON Schema's {@code type: [t, "null"]}. */
  private static JsonNode openApi30Nullables(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.path("nullable").asBoolean(false) && object.path("type").isString()) {
        String type = object.path("type").asString();
        object.putArray("type").add(type).add("null");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
        openApi30Nullables(it.next().getValue());
      }
    } else if (node.isArray()) {
      node.forEach(ApiContractIT::openApi30Nullables);
    }
    return node;
  }

  /** The events of an event stream as objects {id, event, data}; data parsed when it is JSON. */
  static List<ObjectNode> events(byte[] stream) {
    List<ObjectNode> events = new ArrayList<>();
    for (String block : new String(stream, StandardCharsets.UTF_8).split("\n\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : block.split("\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        fields.merge(line.substring(0, colon), line.substring(colon + 1), (a, b) -> a + "\n" + b);
      }
      if (!fields.containsKey("event") && !fields.containsKey("data")) {
        continue;
      }
      ObjectNode event = JSON.createObjectNode();
      if (fields.containsKey("id")) {
        event.put("id", fields.get("id"));
      }
      event.put("event", fields.getOrDefault("event", "message"));
      String data = fields.getOrDefault("data", "");
      if (data.startsWith("{")) {
        event.set("data", JSON.readTree(data));
      } else {
        event.put("data", data);
      }
      events.add(event);
    }
    return events;
  }

  // --- HTTP

  record Answer(String method, String template, String target, int status, String contentType,
      Map<String, String> headers, byte[] body) {}

  private Answer call(String method, String target, String template, String user, String json) throws Exception {
    Answer a = send(method, target, user, json == null ? null : "application/json",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    return new Answer(method, template, target, a.status, a.contentType, a.headers, a.body);
  }

  private Answer send(String method, String target, String user, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
    return new Answer(method, null, target, response.statusCode(), headers.getOrDefault("content-type", ""), headers,
        response.body());
  }

  /** A request written byte for byte on a socket (HTTP/1.0: the answer ends when the connection does). */
  private Answer raw(String target, String authorization) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String request = "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      Matcher status = Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(head);
      assertThat(status.find()).as("a status line for %s: %s", target, head).isTrue();
      Matcher type = Pattern.compile("(?im)^content-type:\\s*(.+)$").matcher(head);
      byte[] body = end < 0 ? new byte[0]
          : java.util.Arrays.copyOfRange(all.toByteArray(), end + 4, all.size());
      return new Answer("GET", null, target, Integer.parseInt(status.group(1)), type.find() ? type.group(1).trim() : "",
          Map.of(), body);
    }
  }
}
