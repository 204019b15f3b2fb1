package io.lockstep.proton;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Hides credentials in what an approver sees: every value under a key whose name contains {@code
 * passw}, {@code secret}, {@code token}, {@code key} or {@code credential} (and everything nested
 * below such a key) becomes {@value #MASK}, and so does every value equal to a known secret (a
 * secret param, a Secret's key that is not YAML, a credential found elsewhere in the same data),
 * wherever it stands, also inside longer text.
 *
 * <p>Collect first ({@link #collect}) from every tree that will be shown, then mask: a password that
 * one file keeps under {@code admin_passwd} is then also hidden where another file repeats it
 * under an innocent name.
 */
final class Masking {

  static final String MASK = "******";
  private static final List<String> CREDENTIAL_WORDS = List.of("passw", "secret", "token", "key", "credential");
  /** Shorter values are masked where they stand, not searched for in text (they would hit words). */
  private static final int MIN_SEARCHED = 4;

  private final Set<String> secrets = new TreeSet<>(
      Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

  Masking(Collection<String> known) {
    known.forEach(this::add);
  }

  static boolean credentialKey(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return CREDENTIAL_WORDS.stream().anyMatch(lower::contains);
  }

  void add(@Nullable String secret) {
    if (secret != null && !secret.isBlank()) {
      secrets.add(secret);
      secrets.add(secret.strip());
    }
  }

  /** Learns the values under credential keys of {@code tree}. */
  Masking collect(JsonNode tree) {
    walk(tree, false);
    return this;
  }

  private void walk(JsonNode node, boolean credential) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(e.getValue(), credential || credentialKey(e.getKey()));
      }
    } else if (node.isArray()) {
      node.forEach(item -> walk(item, credential));
    } else if (credential && node.isString()) {
      add(node.stringValue());
    }
  }

  /** A copy of {@code tree} with credentials masked. */
  JsonNode masked(JsonNode tree) {
    return mask(tree.deepCopy(), false);
  }

  private JsonNode mask(JsonNode node, boolean credential) {
    if (node instanceof ObjectNode object) {
      for (String name : List.copyOf(object.propertyNames())) {
        object.set(name, mask(object.get(name), credential || credentialKey(name)));
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mask(array.get(i), credential));
      }
      return array;
    }
    if (node.isNull() || node.isContainer()) {
      return node;
    }
    if (credential || node.isString() && secrets.contains(node.stringValue())) {
      return StringNode.valueOf(MASK);
    }
    return node.isString() ? StringNode.valueOf(text(node.stringValue())) : node;
  }

  /** {@code text} with every known secret of some length replaced by {@value #MASK}. */
  String text(String text) {
    String masked = text;
    for (String secret : secrets) {
      if (secret.length() >= MIN_SEARCHED) {
        masked = masked.replace(secret, MASK);
      }
    }
    return masked;
  }
}
