package io.lockstep.kosmos;

import io.lockstep.run.PlanDataCheck;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * P6's {@code query} is checked when the plan is saved, by the rule its step applies when it runs
 * ({@link KosmosQuery#problem}): a statement that could write, lock or wait is refused at the plan
 * form and the API, naming the parameter, not an hour later in the run.
 */
@Component
class KosmosQueryCheck implements PlanDataCheck {

  static final String PROCEDURE = "move-mysql-kosmos";

  @Override
  public String procedureId() {
    return PROCEDURE;
  }

  @Override
  public List<String> problems(Map<String, Object> values, Map<String, Object> data) {
    return List.of();
  }

  @Override
  public List<ValueProblem> valueProblems(Map<String, Object> values) {
    Object query = values.get("query");
    String problem = query == null ? null : KosmosQuery.problem(String.valueOf(query).strip());
    return problem == null ? List.of() : List.of(new ValueProblem("query", "query " + problem));
  }
}
