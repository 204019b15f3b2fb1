package io.lockstep.webhook;

import io.lockstep.run.RunNotifications.ApprovalWaiting;
import io.lockstep.run.RunNotifications.ChecklistWaiting;
import io.lockstep.run.RunNotifications.RunStopped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * One notification as it goes over the wire:
 *
 * <pre>{@code
 * {"event": "approval.waiting" | "manual-step.waiting" | "run.failed" | "run.needs-decision",
 *  "run": "<run id>", "procedure": {"id": …, "name": …}, "phase": {"id": …, "name": …},
 *  "message": "<one line for a person>", "link": "<console-url>/runs/<run id>",
 *  "at": "<ISO-8601 instant>", …}
 * }</pre>
 *
 * Approvals add {@code requester} and {@code planHash}; a manual step waiting adds {@code
 * requester}, {@code step} ({@code {"key": "phase.step", "name": …}}) and {@code checklist} (the
 * items to tick); stopped runs add {@code state} and {@code
 * step} ({@code phase.step}, or null), and their {@code phase} has a null name (and is null itself
 * when no step was running). The delivery id stays the same across retries, so receivers can drop
 * repeats.
 *
 * @param event the event name, also sent as {@code X-Lockstep-Event}
 * @param deliveryId a new UUID per notification, sent as {@code X-Lockstep-Delivery}
 * @param body the JSON document
 */
record WebhookDocument(String event, String deliveryId, String body) {

  static final String APPROVAL_WAITING = "approval.waiting";
  static final String MANUAL_STEP_WAITING = "manual-step.waiting";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static WebhookDocument of(ApprovalWaiting e, URI consoleUrl) {
    Map<String, Object> doc = start(APPROVAL_WAITING, e.runId(), e.procedureId(), e.procedureName());
    doc.put("phase", phase(e.phaseId(), e.phaseName()));
    doc.put("message", "Phase '" + e.phaseName() + "' of run " + e.runId() + " (" + e.procedureName()
        + ") waits for approval by someone other than " + e.requester());
    doc.put("link", link(consoleUrl, e.runId()));
    doc.put("at", String.valueOf(e.at()));
    doc.put("requester", e.requester());
    doc.put("planHash", e.planHash());
    return new WebhookDocument(APPROVAL_WAITING, UUID.randomUUID().toString(), JSON.writeValueAsString(doc));
  }

  static WebhookDocument of(ChecklistWaiting e, URI consoleUrl) {
    Map<String, Object> doc = start(MANUAL_STEP_WAITING, e.runId(), e.procedureId(), e.procedureName());
    doc.put("phase", phase(e.phaseId(), e.phaseName()));
    doc.put("message", "Step '" + e.stepName() + "' of run " + e.runId() + " (" + e.procedureName()
        + ") waits for an operator to tick its checklist and confirm it");
    doc.put("link", link(consoleUrl, e.runId()));
    doc.put("at", String.valueOf(e.at()));
    doc.put("requester", e.requester());
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("key", e.step());
    step.put("name", e.stepName());
    doc.put("step", step);
    doc.put("checklist", e.checklist());
    return new WebhookDocument(MANUAL_STEP_WAITING, UUID.randomUUID().toString(), JSON.writeValueAsString(doc));
  }

  static WebhookDocument of(RunStopped e, URI consoleUrl) {
    String event = "run." + String.valueOf(e.state()).toLowerCase(Locale.ROOT).replace('_', '-');
    Map<String, Object> doc = start(event, e.runId(), e.procedureId(), e.procedureName());
    doc.put("phase", e.step() == null ? null : phase(phaseOf(e.step()), null));
    doc.put("message", e.message());
    doc.put("link", link(consoleUrl, e.runId()));
    doc.put("at", String.valueOf(e.at()));
    doc.put("state", e.state());
    doc.put("step", e.step());
    return new WebhookDocument(event, UUID.randomUUID().toString(), JSON.writeValueAsString(doc));
  }

  private static Map<String, Object> start(String event, String runId, String procedureId, String procedureName) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("event", event);
    doc.put("run", runId);
    Map<String, Object> procedure = new LinkedHashMap<>();
    procedure.put("id", procedureId);
    procedure.put("name", procedureName);
    doc.put("procedure", procedure);
    return doc;
  }

  private static Map<String, Object> phase(String id, String name) {
    Map<String, Object> phase = new LinkedHashMap<>();
    phase.put("id", id);
    phase.put("name", name);
    return phase;
  }

  private static String phaseOf(String step) {
    int dot = step.indexOf('.');
    return dot < 0 ? step : step.substring(0, dot);
  }

  static String link(URI consoleUrl, String runId) {
    String base = consoleUrl.toString();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return base + "/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
