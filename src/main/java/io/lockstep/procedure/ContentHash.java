package io.lockstep.procedure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The content hash of a procedure: SHA-256 over a canonical JSON form of the model, not over the
 * file. The canonical form has map keys sorted, absent values left out, durations in their short
 * form and a format tag, so YAML layout, key order and comments do not change the hash while
 * every value does.
 */
final class ContentHash {

  static final String FORMAT = "lockstep.procedure/1";

  private ContentHash() {}

  static String of(Procedure procedure) {
    byte[] json = JsonMapper.shared().writeValueAsBytes(canonical(procedure));
    return HexFormat.of().formatHex(sha256(json));
  }

  /** The canonical form: nested sorted maps and lists of plain values. */
  static Map<String, Object> canonical(Procedure p) {
    Map<String, Object> form = texts(p.id(), p.name(), p.nameZh(), p.description(), p.descriptionZh());
    form.put("format", FORMAT);
    form.put("parameters", p.parameters().stream().map(ContentHash::parameter).toList());
    form.put("phases", p.phases().stream().map(ContentHash::phase).toList());
    if (!p.actions().isEmpty()) {
      // only when there are any: procedures without actions keep the hash they always had
      form.put("actions", p.actions().stream().map(ContentHash::action).toList());
    }
    return form;
  }

  /**
   * An action of one step in the short form hashes as that step did before actions had more to
   * them, so procedures written that way keep their hash.
   */
  private static Map<String, Object> action(Action a) {
    if (a.steps().size() == 1 && a.checks().isEmpty() && a.after().isEmpty() && a.until().isEmpty() && !a.approver()
        && a.steps().get(0).id().equals(a.id()) && a.description().isEmpty()) {
      return step(a.steps().get(0));
    }
    Map<String, Object> form = texts(a.id(), a.name(), a.nameZh(), a.description(), a.descriptionZh());
    form.put("steps", a.steps().stream().map(ContentHash::step).toList());
    form.put("checks", a.checks().stream().map(ContentHash::step).toList());
    form.put("after", a.after());
    form.put("until", a.until());
    form.put("approver", a.approver());
    return form;
  }

  private static Map<String, Object> parameter(Parameter p) {
    Map<String, Object> form = texts(p.name(), null, null, p.description(), p.descriptionZh());
    form.put("type", p.type().written());
    form.put("required", p.required());
    form.put("secret", p.secret());
    put(form, "default", p.defaultValue() == null ? null : plain(p.defaultValue()));
    form.put("values", p.values());
    put(form, "min", plain(p.min()));
    put(form, "max", plain(p.max()));
    return form;
  }

  private static Map<String, Object> phase(Phase p) {
    Map<String, Object> form = texts(p.id(), p.name(), p.nameZh(), p.description(), p.descriptionZh());
    form.put("downtime", p.downtime());
    put(form, "budget", p.budget() == null ? null : Durations.format(p.budget()));
    form.put("steps", p.steps().stream().map(ContentHash::step).toList());
    put(form, "when", p.when()); // absent when the phase always runs: such procedures keep their hash
    return form;
  }

  private static Map<String, Object> step(Step s) {
    Map<String, Object> form = texts(s.id(), s.name(), s.nameZh(), null, null);
    form.put("type", s.type());
    form.put("params", plain(s.params()));
    put(form, "timeout", s.timeout() == null ? null : Durations.format(s.timeout()));
    form.put("retries", s.retries());
    if (s.retries() > 0 && !s.retry().equals(Retry.of(s.retries()))) { // steps with default waits hash as before
      form.put("retry_delay", Durations.format(s.retry().delay()));
      form.put("retry_backoff", s.retry().backoff());
      form.put("retry_within", Durations.format(s.retry().within()));
    }
    if (s.guard()) {
      form.put("guard", true);
    }
    form.put("repeatable", s.repeatable());
    put(form, "when", s.when());
    return form;
  }

  private static Map<String, Object> texts(String id, String name, String nameZh, String description,
      String descriptionZh) {
    Map<String, Object> form = new TreeMap<>();
    put(form, "id", id);
    put(form, "name", name);
    put(form, "name_zh", nameZh);
    put(form, "description", description);
    put(form, "description_zh", descriptionZh);
    return form;
  }

  private static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, plain(v)));
      return sorted;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ContentHash::plain).toList();
    }
    return value instanceof Duration d ? Durations.format(d) : value;
  }

  private static void put(Map<String, Object> form, String key, Object value) {
    if (value != null && !"".equals(value)) {
      form.put(key, value);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
