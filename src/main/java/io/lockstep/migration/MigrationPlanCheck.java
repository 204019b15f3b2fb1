package io.lockstep.migration;

import io.lockstep.run.PlanDataCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The rules of a P1 plan, applied whenever one is stored, by the planner or through the REST
 * API: the rows are read, matched against the live platform, the nodes are measured over SSH (a
 * recent measurement is reused), and the derived fields must be what the rows make of them.
 * Problems are in English, each naming its row ({@code kafka-0: …}).
 */
@Component
class MigrationPlanCheck implements PlanDataCheck {

  static final String PROCEDURE = "proton-node-migration";

  private final Platforms platforms;
  private final Measurements measurements;
  private final MigrationProperties properties;
  private final MessageSource messages;

  MigrationPlanCheck(Platforms platforms, Measurements measurements, MigrationProperties properties,
      MessageSource messages) {
    this.platforms = platforms;
    this.measurements = measurements;
    this.properties = properties;
    this.messages = messages;
  }

  @Override
  public String procedureId() {
    return PROCEDURE;
  }

  @Override
  public List<String> problems(Map<String, Object> values, Map<String, Object> data) {
    return problems(values, data, Map.of());
  }

  @Override
  public List<String> problems(Map<String, Object> values, Map<String, Object> data, Map<String, Object> underway) {
    return check(data, PlanRules.targetsOf(underway)).stream().map(p -> p.line(messages, Locale.ROOT)).toList();
  }

  /**
   * Every problem of the plan data, measured to the end (waiting as long as a measurement may
   * take); {@code ownTargets} are those a run of the plan under way may have filled itself.
   */
  List<Problem> check(Map<String, Object> data, java.util.Set<Place> ownTargets) {
    PlanData.Read read = PlanData.rows(data);
    if (!read.problems().isEmpty()) {
      // Rows that cannot be read are fixed first: the other rules would only add noise about them.
      return read.problems();
    }
    List<Problem> problems = new ArrayList<>();
    Platform platform = platforms.read();
    Facts facts = measurements.measure(read.rows(), platform, false, properties.measureTimeout().plusSeconds(5));
    problems.addAll(PlanRules.check(read.rows(), platform, facts, ownTargets));
    if (facts.pending() > 0) {
      problems.add(Problem.general("stillMeasuring", facts.pending()));
    }
    if (problems.isEmpty()) {
      problems.addAll(MigrationPlan.of(read.rows(), platform).differencesFrom(data));
    }
    return problems;
  }
}
