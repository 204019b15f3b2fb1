package io.lockstep.run;

import io.lockstep.system.Auditable;
import java.util.Map;

/**
 * An audit event of this module: plan created or edited, run requested, phase approved or
 * rejected, approvals voided, step started, acted, ended, undo recorded, pause, abort, skip.
 * Published inside the transaction of the change it reports.
 */
record RunAudit(String auditType, String actor, String runId, String summary, Map<String, Object> details)
    implements Auditable {

  RunAudit {
    details = details == null ? Map.of() : details;
  }

  static RunAudit of(String type, String actor, String runId, String summary) {
    return new RunAudit(type, actor, runId, summary, Map.of());
  }
}
