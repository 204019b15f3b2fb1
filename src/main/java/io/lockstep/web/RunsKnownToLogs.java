package io.lockstep.web;

import io.lockstep.logstream.KnownRuns;
import io.lockstep.run.RunException;
import io.lockstep.run.Runs;
import org.springframework.stereotype.Component;

/** Tells the run log's readers which run ids are runs, from the runs' own store. */
@Component
class RunsKnownToLogs implements KnownRuns {

  private final Runs runs;

  RunsKnownToLogs(Runs runs) {
    this.runs = runs;
  }

  @Override
  public boolean exists(String runId) {
    try {
      runs.get(runId);
      return true;
    } catch (RunException.NotFound e) {
      return false;
    }
  }
}
