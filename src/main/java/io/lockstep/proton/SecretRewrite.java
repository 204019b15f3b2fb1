package io.lockstep.proton;

import io.fabric8.kubernetes.api.model.Secret;
import io.lockstep.run.StepFailedException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The P1 rewrite of one Secret that holds the node assignment of components (phase 8): in every
 * data key that is a YAML mapping, each planned component's {@code hosts} (in replica-ordinal
 * order) and {@code data_path} become what the plan says. A key is a component's file when its
 * stem is the component's conf key ({@code kafka.yaml}) and its root has {@code hosts}; it is a
 * whole configuration (as {@code proton-cli get conf} prints) when its root has sections keyed by
 * conf keys. Every other key (the nodes' SSH password, say) is left byte for byte, and so is a key
 * the rewrite does not change.
 *
 * <p>Refused, before anything changes, when a component's hosts match the plan neither before nor
 * after the move at some ordinal, or when its replica count differs from the plan's: the plan does
 * not describe this Secret. A Secret already rewritten matches "after" and is left as it is.
 */
final class SecretRewrite {

  /** One data key: its text before and after (null when it is not text), and what happened. */
  record Key(String name, @Nullable String before, @Nullable String after, @Nullable ObjectNode beforeTree,
      @Nullable ObjectNode afterTree, String note) {

    boolean changed() {
      return after != null && !after.equals(before);
    }

    boolean yaml() {
      return beforeTree != null;
    }
  }

  private final Secret secret;
  private final List<Key> keys = new ArrayList<>();
  private final Set<String> confKeysFound = new LinkedHashSet<>();

  private SecretRewrite(Secret secret) {
    this.secret = secret;
  }

  /**
   * The rewrite of {@code secret} per {@code placements}.
   *
   * @throws StepFailedException the Secret does not match the plan; the message names the key,
   *     the component and the hosts found (never a value)
   */
  static SecretRewrite of(Secret secret, Map<String, Placement> placements) {
    SecretRewrite rewrite = new SecretRewrite(secret);
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    data.forEach((name, base64) -> rewrite.keys.add(rewrite.key(name, base64, placements)));
    return rewrite;
  }

  String id() {
    return secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
  }

  Secret secret() {
    return secret;
  }

  List<Key> keys() {
    return keys;
  }

  /** The conf keys some key of this Secret places. */
  Set<String> confKeysFound() {
    return confKeysFound;
  }

  boolean changed() {
    return keys.stream().anyMatch(Key::changed);
  }

  /** The Secret's data after the rewrite: changed keys re-encoded, the others as they were. */
  Map<String, String> data() {
    Map<String, String> data = new LinkedHashMap<>(secret.getData());
    keys.stream().filter(Key::changed).forEach(key -> data.put(key.name(),
        Base64.getEncoder().encodeToString(key.after().getBytes(StandardCharsets.UTF_8))));
    return data;
  }

  /** The decoded values of keys that are not YAML mappings (a password): secrets to mask. */
  List<String> plainTexts() {
    return keys.stream().filter(k -> !k.yaml() && k.before() != null).map(Key::before).toList();
  }

  private Key key(String name, String base64, Map<String, Placement> placements) {
    Optional<String> text = text(base64);
    if (text.isEmpty()) {
      return new Key(name, null, null, null, null, "left as it is (not text)");
    }
    Optional<ObjectNode> tree = Yaml.mapping(text.get());
    if (tree.isEmpty()) {
      return new Key(name, text.get(), null, null, null, "left as it is (not a YAML mapping)");
    }
    ObjectNode after = tree.get().deepCopy();
    List<String> notes = new ArrayList<>();
    Placement own = placements.get(stem(name));
    if (own != null && after.has("hosts")) {
      place(name, after, own, own.confKey(), notes);
    } else if (!after.has("hosts")) {
      for (Placement placement : placements.values()) {
        if (after.get(placement.confKey()) instanceof ObjectNode section && section.has("hosts")) {
          place(name, section, placement, placement.confKey(), notes);
        }
      }
    }
    if (notes.isEmpty()) {
      return new Key(name, text.get(), null, tree.get(), null, "left as it is (places no planned component)");
    }
    if (after.equals(tree.get())) {
      return new Key(name, text.get(), text.get(), tree.get(), after, "already as planned ("
          + String.join(", ", confKeysOf(notes)) + ")");
    }
    return new Key(name, text.get(), Yaml.write(after), tree.get(), after, String.join("; ", notes));
  }

  /** Sets one component's hosts and data path in {@code section}, after checking it matches the plan. */
  private void place(String key, ObjectNode section, Placement placement, String confKey, List<String> notes) {
    confKeysFound.add(confKey);
    List<String> hosts = new ArrayList<>();
    if (!(section.get("hosts") instanceof ArrayNode list)) {
      throw refused(key, confKey + ".hosts is not a list");
    }
    list.forEach(h -> hosts.add(h.asString("")));
    if (!placement.matches(hosts)) {
      throw refused(key, confKey + " has hosts " + String.join(", ", hosts) + " but the plan moves its replicas "
          + placement.shown() + ": at some ordinal the Secret names neither the node before nor the node after");
    }
    JsonNode replicas = section.get("replicas");
    if (replicas != null && replicas.isNumber() && replicas.asInt() != placement.targets().size()) {
      throw refused(key, confKey + " has replicas " + replicas.asInt() + " but the plan has rows for "
          + placement.targets().size());
    }
    ArrayNode targets = section.putArray("hosts");
    placement.targets().forEach(targets::add);
    String path = section.path("data_path").asString("");
    section.put("data_path", placement.targetPath());
    notes.add(confKey + ": hosts " + placement.shown() + (path.equals(placement.targetPath())
        ? "" : ", data_path " + path + " → " + placement.targetPath()));
  }

  private StepFailedException refused(String key, String why) {
    return new StepFailedException("Secret " + id() + " key " + key + ": " + why + "; the plan does not match "
        + "this Secret, so nothing was changed");
  }

  private static List<String> confKeysOf(List<String> notes) {
    return notes.stream().map(n -> n.substring(0, n.indexOf(':'))).toList();
  }

  static String stem(String key) {
    for (String suffix : List.of(".yaml", ".yml")) {
      if (key.endsWith(suffix)) {
        return key.substring(0, key.length() - suffix.length());
      }
    }
    return key;
  }

  private static Optional<String> text(@Nullable String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64 == null ? "" : base64);
      return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
