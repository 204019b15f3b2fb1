package io.lockstep.audit;

import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Audit rows as one JSON document, written as the rows are read:
 *
 * <pre>
 * { "generatedAt", "generatedBy", "filter": {run, actor, type, from, to}, "throughSeq",
 *   "verification": {ok, rows, headHash, brokenSeq, problem, breaks, anchor, verifiedAt},
 *   "anchor": {number, seq, hash, at, signature} or null,
 *   "entries": [ {seq, occurredAt, actor, type, runId, summary, details, prevHash, hash}, … ] }
 * </pre>
 *
 * Each entry is exact: {@code occurredAt} is written as hashed (six fraction digits) and
 * {@code details} is the stored canonical JSON itself, so every hash can be recomputed from the
 * file with the recipe in {@link AuditChain}. {@code anchor} is the anchor file's newest checkpoint,
 * signed with the site's key ({@link Checkpoint}).
 */
final class JsonExport {

  private JsonExport() {}

  static void write(ObjectMapper mapper, AuditLog log, AuditFilter filter, long upTo, Verification verification,
      Checkpoint anchor, String user, Instant generatedAt, OutputStream out) {
    try (JsonGenerator g = mapper.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("generatedAt", generatedAt.toString());
      g.writeStringProperty("generatedBy", user);
      g.writePOJOProperty("filter", filter(filter));
      g.writeNumberProperty("throughSeq", upTo);
      g.writePOJOProperty("verification", verification);
      g.writePOJOProperty("anchor", anchor);
      g.writeName("entries");
      g.writeStartArray();
      log.forEachStored(filter, upTo, e -> entry(g, e));
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void entry(JsonGenerator g, StoredEvent e) {
    g.writeStartObject();
    g.writeNumberProperty("seq", e.seq());
    g.writeStringProperty("occurredAt", AuditChain.timestamp(e.occurredAt()));
    g.writeStringProperty("actor", e.actor());
    g.writeStringProperty("type", e.type());
    g.writeStringProperty("runId", e.runId());
    g.writeStringProperty("summary", e.summary());
    g.writeName("details");
    g.writeRawValue(e.details());
    g.writeStringProperty("prevHash", e.prevHash());
    g.writeStringProperty("hash", e.hash());
    g.writeEndObject();
  }

  private static Map<String, Object> filter(AuditFilter f) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("run", f.runId());
    map.put("actor", f.actor());
    map.put("type", f.type());
    map.put("from", f.from() == null ? null : f.from().toString());
    map.put("to", f.to() == null ? null : f.to().toString());
    return map;
  }
}
