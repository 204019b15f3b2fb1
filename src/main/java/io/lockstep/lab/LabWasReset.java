package io.lockstep.lab;

import io.lockstep.system.Auditable;

/** An operator put the lab platform back to its seed: every change made in the lab is gone. */
record LabWasReset(String actor, String apiUrl) implements Auditable {

  @Override
  public String auditType() {
    return "LAB_RESET";
  }

  @Override
  public String summary() {
    return "lab platform reset to its seed (" + apiUrl + ")";
  }
}
