package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.MigrationPlans;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The planner on the whole console and the lab: an operator maps the three old masters onto the
 * three new nodes, the check comes back clean, the plan is stored with every replica measured; a
 * script's plan with a bad row is refused naming the row.
 */
class PlannerConsoleIT extends LabConsoleTest {

  private static final String PW = DEMO_PASSWORD;
  private final ConsoleClient console;
  private final ObjectMapper json;

  @Autowired
  PlannerConsoleIT(@Value("${local.server.port}") int port, ObjectMapper json) {
    this.console = new ConsoleClient(port);
    this.json = json;
  }

  @Test
  void anOperatorMapsTheOldMastersOntoTheNewNodesAndSavesThePlan() {
    console.logIn("op1", PW);
    assertThat(console.page("/plans/new?procedure=proton-node-migration").headers().firstValue("Location").orElse(""))
        .endsWith("/migration/new");
    HttpResponse<String> page = console.page("/migration/new");
    assertThat(page.statusCode()).isEqualTo(200);
    int replicas = json.readTree(console.getAs("op1", PW, "/api/inventory").body()).get("components")
        .valueStream().mapToInt(c -> c.get("replicas").size()).sum();
    int rows = replicas + 3; // and proton-cr-registry on node-1..3
    assertThat(page.body().split("data-row=\"", -1)).hasSize(rows + 1);
    assertThat(page.body()).contains("The plan moves nothing");

    Map<String, String> form = MigrationPlans.fields(page.body());
    form.put("title", "Retire node-1..3");
    form.put("value.ssh_password", "lab-root-secret");
    for (String[] pair : List.of(new String[] {"node-1", "node-4"}, new String[] {"node-2", "node-5"},
        new String[] {"node-3", "node-6"})) {
      Map<String, String> mapping = new LinkedHashMap<>(form);
      mapping.put("mapFrom", pair[0]);
      mapping.put("mapTo", pair[1]);
      HttpResponse<String> body = console.htmxPost("/migration/new", "/migration/map", MigrationPlans.encode(mapping));
      assertThat(body.statusCode()).isEqualTo(200);
      form.putAll(MigrationPlans.fields(body.body()));
    }
    assertThat(form).containsEntry("target.kafka-0", "node-4").containsEntry("target.kafka-1", "node-5")
        .containsEntry("target.mariadb-2", "node-6").containsEntry("target.proton-cr-registry-0", "node-1");

    String check = checkUntilMeasured(form);
    assertThat(check).contains("id=\"plan-clean\"").contains("data-problems=\"0\"");

    HttpResponse<String> saved = console.htmxPost("/migration/new", "/migration/plans", MigrationPlans.encode(form));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    String planId = saved.headers().firstValue("Location").orElseThrow().replaceAll(".*/plans/", "");

    JsonNode plan = json.readTree(console.getAs("op1", PW, "/api/plans/" + planId).body());
    assertThat(plan.get("procedure").asString()).isEqualTo("proton-node-migration");
    assertThat(plan.get("title").asString()).isEqualTo("Retire node-1..3");
    assertThat(plan.get("values").get("ssh_password").asString()).doesNotContain("lab-root-secret");
    JsonNode data = plan.get("data");
    assertThat(data.get("rows")).hasSize(rows);
    for (JsonNode row : data.get("rows")) {
      assertThat(row.get("bytes").asLong()).as(row.toString()).isPositive();
      if (row.get("kind").asString().equals("host")) {
        assertThat(row.get("target_node").asString()).isEqualTo(row.get("source_node").asString());
      } else {
        assertThat(row.get("target_node").asString()).isNotEqualTo(row.get("source_node").asString());
        assertThat(row.has("conf_key")).isTrue();
      }
    }
    assertThat(data.get("rows").get(0).get("key").asString()).endsWith("-0");
    assertThat(data.get("old_nodes").toString()).isEqualTo("[\"node-1\",\"node-2\",\"node-3\"]");
    assertThat(data.get("new_nodes").toString()).isEqualTo("[\"node-4\",\"node-5\",\"node-6\"]");
    assertThat(data.get("app_namespace").asString()).isEqualTo("anyshare");
    assertThat(data.get("control_node").asString()).isEqualTo("node-1");
    assertThat(data.get("final_control_node").asString()).isEqualTo("node-4");

    // The stored plan opens in the planner with its targets chosen.
    HttpResponse<String> edit = console.page("/migration/plans/" + planId);
    assertThat(MigrationPlans.fields(edit.body())).containsEntry("target.kafka-2", "node-6");
    assertThat(edit.body()).contains("Editing plan " + planId + ", version 1");
  }

  /** A save the planner refuses for its rows is evidence like any refused plan: who, what, why. */
  @Test
  void aPlanSaveRefusedForItsRowsIsInTheAudit() {
    console.logIn("op1", PW);
    Map<String, String> form = MigrationPlans.fields(console.page("/migration/new").body());
    form.put("title", "Two zookeepers on node-4");
    form.put("value.ssh_password", "lab-root-secret");
    form.put("target.zookeeper-0", "node-4");
    form.put("target.zookeeper-1", "node-4");
    checkUntilMeasured(form);
    long before = refusals();
    HttpResponse<String> refused = console.htmxPost("/migration/new", "/migration/plans", MigrationPlans.encode(form));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refusals()).isEqualTo(before + 1);
    // the page says why, at its top and next to Save: before, a refusal for rows said nothing
    assertThat(refused.body()).contains("id=\"save-error\"").contains("id=\"save-refused\"")
        .contains("The plan was not saved: ").contains("problems, listed under Check, must be solved first.");
    JsonNode event = json.readTree(console.getAs("viewer", PW, "/api/audit?type=REFUSED&actor=op1&size=1").body())
        .get("entries").get(0);
    assertThat(event.get("summary").asString()).contains("op1 was refused: plan a run of proton-node-migration")
        .contains("zookeeper-1").doesNotContain("lab-root-secret");
  }

  /**
   * A required password left empty is a problem the check lists, though the checks never carry the
   * password (only that its field is filled in); a save without it says why next to the field.
   */
  @Test
  void aRequiredPasswordLeftEmptyIsAProblemNotNoProblems() {
    console.logIn("op1", PW);
    Map<String, String> form = MigrationPlans.fields(console.page("/migration/new").body());
    form.put("title", "No password");
    form.put("value.ssh_password", "");
    String check = checkUntilMeasured(form);
    assertThat(check).doesNotContain("id=\"plan-clean\"").contains("&#39;ssh_password&#39; needs a value");
    int problems = problems(check);

    form.put("given.value.ssh_password", "true");
    String given = checkUntilMeasured(form);
    assertThat(given).doesNotContain("needs a value");
    assertThat(problems(given)).isEqualTo(problems - 1);

    form.remove("given.value.ssh_password");
    HttpResponse<String> refused = console.htmxPost("/migration/new", "/migration/plans", MigrationPlans.encode(form));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("id=\"save-refused\"").contains("The plan was not saved: ");
    int field = refused.body().indexOf("data-parameter=\"ssh_password\"");
    assertThat(refused.body().substring(field, refused.body().indexOf("</details>", field)))
        .as("next to the password's field").contains("field-error").contains("needs a value");
  }

  private static int problems(String check) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-problems=\"(\\d+)\"").matcher(check);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private long refusals() {
    return json.readTree(console.getAs("viewer", PW, "/api/audit?type=REFUSED&actor=op1&size=1").body())
        .get("total").asLong();
  }

  @Test
  void aScriptsPlanWithABadRowIsRefusedNamingTheRow() {
    ObjectNode data = plannedData();
    for (JsonNode row : data.withArray("rows")) {
      if (row.get("key").asString().equals("zookeeper-1")) {
        // zookeeper-0 goes to node-4 too.
        ((ObjectNode) row).put("target_node", "node-4");
      }
    }
    HttpResponse<String> refused = console.postAs("op1", PW, "/api/plans", body(data));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    String detail = json.readTree(refused.body()).get("detail").asString();
    assertThat(detail).contains("zookeeper-1: zookeeper would run two replicas on node-4 (this one and zookeeper-0)")
        .contains("at most one replica of a component per node");

    HttpResponse<String> accepted = console.postAs("op1", PW, "/api/plans", body(plannedData()));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
  }

  /** The data of the lab's migration as a script would send it, measured sizes taken from a planner check. */
  private ObjectNode plannedData() {
    JsonNode inventory = json.readTree(console.getAs("op1", PW, "/api/inventory").body());
    Map<String, String> moves = Map.of("node-1", "node-4", "node-2", "node-5", "node-3", "node-6");
    ObjectNode data = json.createObjectNode();
    List<ObjectNode> rows = new ArrayList<>();
    Map<String, String[]> catalog = Map.ofEntries(Map.entry("kafka", new String[] {"helm", "kafka"}),
        Map.entry("zookeeper", new String[] {"helm", "zookeeper"}),
        Map.entry("opensearch-master", new String[] {"helm", "opensearch"}),
        Map.entry("proton-etcd", new String[] {"helm", "proton_etcd"}),
        Map.entry("proton-redis", new String[] {"helm", "proton_redis"}),
        Map.entry("proton-mq-nsq", new String[] {"helm", "proton_mq_nsq"}),
        Map.entry("proton-policy-engine", new String[] {"helm", "proton_policy_engine"}),
        Map.entry("prometheus", new String[] {"helm", "prometheus"}),
        Map.entry("grafana", new String[] {"helm", "grafana"}),
        Map.entry("nebula", new String[] {"operator", "nebula"}),
        Map.entry("mariadb", new String[] {"operator", "proton_mariadb"}),
        Map.entry("mongodb", new String[] {"operator", "proton_mongodb"}));
    for (JsonNode component : inventory.get("components")) {
      String name = component.get("name").asString();
      for (JsonNode replica : component.get("replicas")) {
        ObjectNode row = json.createObjectNode();
        row.put("key", name + "-" + replica.get("ordinal").asInt());
        row.put("component", name);
        row.put("kind", catalog.get(name)[0]);
        row.put("conf_key", catalog.get(name)[1]);
        row.put("ordinal", replica.get("ordinal").asInt());
        row.put("source_node", replica.get("node").asString());
        row.put("source_path", replica.get("dataPath").asString());
        row.put("target_node", moves.get(replica.get("node").asString()));
        row.put("target_path", replica.get("dataPath").asString());
        row.put("bytes", 1);
        rows.add(row);
      }
    }
    for (int i = 0; i < 3; i++) {
      ObjectNode row = json.createObjectNode();
      row.put("key", "proton-cr-registry-" + i).put("component", "proton-cr-registry").put("kind", "host")
          .put("ordinal", i).put("source_node", "node-" + (i + 1)).put("source_path", "/sysvol/proton-cr/registry")
          .put("target_node", "node-" + (i + 1)).put("target_path", "/sysvol/proton-cr/registry").put("bytes", 1);
      rows.add(row);
    }
    data.putArray("rows").addAll(rows);
    data.putArray("old_nodes").add("node-1").add("node-2").add("node-3");
    data.putArray("new_nodes").add("node-4").add("node-5").add("node-6");
    data.put("app_namespace", "anyshare").put("control_node", "node-1").put("final_control_node", "node-4");
    return data;
  }

  private String body(ObjectNode data) {
    ObjectNode request = json.createObjectNode();
    request.put("procedure", "proton-node-migration").put("title", "scripted");
    request.putObject("values").put("ssh_password", "lab-root-secret");
    request.set("data", data);
    return request.toString();
  }

  /** Posts the form to the check until no measurement is pending, as the page's poll does. */
  private String checkUntilMeasured(Map<String, String> form) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      String check = console.htmxPost("/migration/new", "/migration/check", MigrationPlans.encode(form)).body();
      if (check.contains("data-pending=\"0\"") || Instant.now().isAfter(deadline)) {
        return check;
      }
    }
  }
}
