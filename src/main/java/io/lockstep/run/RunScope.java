package io.lockstep.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The values a step's {@code ${…}} references see: {@code params}, {@code plan}, {@code run}. */
final class RunScope {

  private RunScope() {}

  static Map<String, Object> of(Run run, Plan plan, Map<String, Object> boundParams) {
    Map<String, Object> planScope = new LinkedHashMap<>(plan.data());
    planScope.put("id", plan.id());
    planScope.put("hash", plan.hash());
    planScope.put("version", plan.version());
    planScope.put("title", plan.title());
    return Map.of(
        "params", boundParams,
        "plan", planScope,
        "run", Map.of("id", run.id(), "requester", run.requester()));
  }
}
