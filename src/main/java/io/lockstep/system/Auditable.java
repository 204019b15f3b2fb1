package io.lockstep.system;

import java.util.Map;

/**
 * An application event that belongs in the audit trail. Modules publish their own small event
 * records implementing this (a plan edited, a phase approved, a step finished); the audit module
 * listens for them, so nothing has to depend on the audit module. Published inside the
 * transaction of the change it reports, so the change and its audit row commit together.
 */
public interface Auditable {

  /** The event type, upper snake case: {@code PLAN_EDITED}, {@code PHASE_APPROVED}, … */
  String auditType();

  /** Who did it: a user name, or {@code system} for the engine's own actions. */
  String actor();

  /** The run it concerns, or null. */
  default String runId() {
    return null;
  }

  /** One line a person reads in the audit table. Must not contain secret values. */
  String summary();

  /** Structured facts (command, exit status, plan hash, …); values are strings, numbers or booleans. */
  default Map<String, Object> details() {
    return Map.of();
  }
}
