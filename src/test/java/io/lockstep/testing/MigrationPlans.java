package io.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * P1 plans made the way an operator makes them, through the planner page: the form as the browser
 * would send it (read from the HTML the console answered), whole nodes mapped, checked until every
 * measurement is in, saved. Also the lab reset that P1 tests need before and after.
 */
public final class MigrationPlans {

  static final String PW = "lockstep-demo";
  private static final Pattern SELECT = Pattern.compile(
      "<select[^>]*name=\"(target\\.[^\"]+)\"[^>]*>(.*?)</select>", Pattern.DOTALL);
  private static final Pattern SELECTED = Pattern.compile("<option value=\"([^\"]+)\" selected=\"selected\"");
  private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
  private static final Pattern NAME = Pattern.compile("name=\"((?:target|path)\\.[^\"]+)\"");
  private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

  private MigrationPlans() {}

  /** Rebuilds the lab from its seed (every node, component and data directory as shipped). */
  public static void resetLab(ConsoleClient console) {
    HttpResponse<String> reset = console.postAs("op1", PW, "/api/lab/reset", "{}");
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
  }

  /**
   * Aborts every run of this console that has not ended and waits until each has: a test that
   * counts what waits for approval must not count a run another test class left behind in the
   * shared console.
   */
  public static void abortUnfinishedRuns(ConsoleClient console) {
    org.awaitility.Awaitility.await("every run of the console ended").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          List<String> open = new java.util.ArrayList<>();
          ApiClient.JSON.readTree(console.getAs("op1", PW, "/api/runs").body()).forEach(run -> {
            String state = run.get("state").asText();
            if (!state.equals("SUCCEEDED") && !state.equals("ABORTED")) {
              open.add(run.get("id").asText());
            }
          });
          open.forEach(id -> console.postAs("op1", PW, "/api/runs/" + id + "/abort", "{\"reason\":\"test isolation\"}"));
          return open.isEmpty();
        });
  }

  /** As op1: plans node-1 → node-4, node-2 → node-5, node-3 → node-6 and saves it; the plan's id. */
  public static String retireOldMasters(ConsoleClient console, String title) {
    return retireOldMasters(console, title, Map.of());
  }

  /** {@link #retireOldMasters(ConsoleClient, String)} with parameter values ({@code bwlimit}). */
  public static String retireOldMasters(ConsoleClient console, String title, Map<String, String> values) {
    console.logIn("op1", PW);
    Map<String, String> form = fields(console.page("/migration/new").body());
    form.put("title", title);
    form.put("value.ssh_password", "lab-root-secret");
    values.forEach((name, value) -> form.put("value." + name, value));
    for (List<String> pair : List.of(List.of("node-1", "node-4"), List.of("node-2", "node-5"), List.of("node-3", "node-6"))) {
      Map<String, String> mapping = new LinkedHashMap<>(form);
      mapping.put("mapFrom", pair.get(0));
      mapping.put("mapTo", pair.get(1));
      HttpResponse<String> body = console.htmxPost("/migration/new", "/migration/map", encode(mapping));
      assertThat(body.statusCode()).isEqualTo(200);
      form.putAll(fields(body.body()));
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    String check;
    while (true) {
      check = console.htmxPost("/migration/new", "/migration/check", encode(form)).body();
      boolean settled = check.contains("data-pending=\"0\"");
      if (settled && check.contains("cannot be reached over SSH") && Instant.now().isBefore(deadline)) {
        // a loaded test machine: a login that timed out is measured again, as the page's button does
        console.htmxPost("/migration/new", "/migration/probe", encode(form));
        continue;
      }
      if (settled || Instant.now().isAfter(deadline)) {
        break;
      }
    }
    assertThat(check).as("the planner finds no problem").contains("data-problems=\"0\"");
    HttpResponse<String> saved = console.htmxPost("/migration/new", "/migration/plans", encode(form));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    return saved.headers().firstValue("Location").orElseThrow().replaceAll(".*/plans/", "");
  }

  /** The planner form's fields: each replica's selected target node, the hidden targets, the path inputs. */
  public static Map<String, String> fields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher select = SELECT.matcher(html);
    while (select.find()) {
      Matcher selected = SELECTED.matcher(select.group(2));
      if (selected.find()) {
        fields.put(select.group(1), selected.group(1));
      }
    }
    Matcher input = INPUT.matcher(html);
    while (input.find()) {
      Matcher name = NAME.matcher(input.group());
      Matcher value = VALUE.matcher(input.group());
      if (name.find() && value.find()) {
        fields.put(name.group(1), value.group(1));
      }
    }
    return fields;
  }

  public static String encode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
