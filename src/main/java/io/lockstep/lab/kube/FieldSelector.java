package io.lockstep.lab.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A field selector ({@code spec.nodeName=node-5}, {@code status.phase!=Succeeded},
 * {@code metadata.name=kafka-0}), evaluated on the objects themselves. The store turns a field
 * selector into an attribute its objects never carry, so {@code kubectl drain} would find no pods on
 * the node it drains; the lab filters lists and watches itself instead.
 */
record FieldSelector(List<Term> terms) {

  /** One requirement: the field (a dotted path) equals, or does not equal, the value. */
  record Term(String field, String value, boolean equal) {

    boolean matches(JsonNode object) {
      JsonNode node = object;
      for (String part : field.split("\\.")) {
        node = node.path(part);
      }
      String actual = node.isMissingNode() || node.isNull() ? "" : node.asString();
      return actual.equals(value) == equal;
    }
  }

  static final FieldSelector NONE = new FieldSelector(List.of());

  FieldSelector {
    terms = List.copyOf(terms);
  }

  /** The selector of a request path's {@code fieldSelector} parameter; {@link #NONE} without one. */
  static FieldSelector of(String pathWithQuery) {
    return RestPath.parameter(pathWithQuery, "fieldSelector").map(FieldSelector::parse).orElse(NONE);
  }

  static FieldSelector parse(String selector) {
    List<Term> terms = new ArrayList<>();
    for (String requirement : selector.split(",")) {
      String term = requirement.trim();
      int not = term.indexOf("!=");
      int eq = term.indexOf('=');
      if (not > 0) {
        terms.add(new Term(term.substring(0, not).trim(), term.substring(not + 2).trim(), false));
      } else if (eq > 0) {
        String value = term.substring(term.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
        terms.add(new Term(term.substring(0, eq).trim(), value, true));
      }
    }
    return new FieldSelector(terms);
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  boolean matches(JsonNode object) {
    return terms.stream().allMatch(t -> t.matches(object));
  }

  /** The path without its {@code fieldSelector} parameter, for the store, which cannot apply it. */
  static String without(String pathWithQuery) {
    int start = pathWithQuery.indexOf('?');
    if (start < 0) {
      return pathWithQuery;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : pathWithQuery.substring(start + 1).split("&")) {
      String key = URLDecoder.decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair,
          StandardCharsets.UTF_8);
      if (!key.equals("fieldSelector") && !pair.isEmpty()) {
        kept.add(pair);
      }
    }
    return pathWithQuery.substring(0, start) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }
}
