package io.lockstep.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The values a step's {@code ${…}} references see: {@code params}, {@code plan}, {@code run}. */
final class RunScope {

  private RunScope() {}

  static Map<String, Object> of(Run run, Plan plan, Map<String, Object> boundParams) {
    return of(run.id(), run.requester(), plan, boundParams);
  }

  /** The scope of a run not stored yet (its phases' {@code when} is read before it is laid out). */
  static Map<String, Object> of(String runId, String requester, Plan plan, Map<String, Object> boundParams) {
    Map<String, Object> planScope = new LinkedHashMap<>(plan.data());
    planScope.put("id", plan.id());
    planScope.put("hash", plan.hash());
    planScope.put("version", plan.version());
    planScope.put("title", plan.title());
    return Map.of(
        "params", boundParams,
        "plan", planScope,
        "run", Map.of("id", runId, "requester", requester));
  }
}
