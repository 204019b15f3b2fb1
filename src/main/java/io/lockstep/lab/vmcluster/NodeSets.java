package io.lockstep.lab.vmcluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ClusterShell's node sets for the lab: parsing ({@code top[1-3],worker1,@island_worker,@vm:running,
 * @vm:*}), expanding in ClusterShell's order and folding back ({@code admin[1-2],batch[1-3]}).
 * Groups are resolved by a function from "source:group" (source empty for the default one) to a
 * node set string; it throws {@link GroupException} for an unknown group or a source that fails.
 */
final class NodeSets {

  /** A group that cannot be resolved; the message is what nodeset and clush print. */
  static final class GroupException extends RuntimeException {
    GroupException(String message) {
      super(message);
    }
  }

  private static final Pattern NUMBERED = Pattern.compile("^(.*?)(\\d+)(\\D*)$");
  private static final Pattern BRACKETS = Pattern.compile("^([^\\[]*)\\[([0-9,\\-]+)](.*)$");

  private NodeSets() {}

  /** The nodes of a node set string, sorted as ClusterShell sorts them. */
  static Set<String> parse(String nodeset, Function<String, String> groups) {
    Set<String> nodes = new TreeSet<>(ORDER);
    for (String element : split(nodeset)) {
      if (element.isEmpty()) {
        continue;
      }
      if (element.startsWith("@")) {
        String name = element.substring(1);
        nodes.addAll(parse(groups.apply(name.contains(":") ? name : ":" + name), groups));
        continue;
      }
      Matcher m = BRACKETS.matcher(element);
      if (!m.matches()) {
        if (element.contains("[") || element.contains("]")) {
          throw new GroupException("Parse error: bad range: \"" + element + "\"");
        }
        nodes.add(element);
        continue;
      }
      for (String range : m.group(2).split(",")) {
        String[] bounds = range.split("-");
        int from = Integer.parseInt(bounds[0]);
        int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
        for (int i = from; i <= to; i++) {
          nodes.add(m.group(1) + i + m.group(3));
        }
      }
    }
    return nodes;
  }

  /** The folded form: {@code admin[1-2],batch[1-3],bastion}. */
  static String fold(Set<String> nodes) {
    Map<String, TreeSet<Integer>> patterns = new TreeMap<>();
    for (String node : nodes) {
      Matcher m = NUMBERED.matcher(node);
      if (m.matches() && !m.group(2).startsWith("0")) {
        patterns.computeIfAbsent(m.group(1) + "%s" + m.group(3), k -> new TreeSet<>()).add(Integer.parseInt(m.group(2)));
      } else {
        patterns.put(node, null);
      }
    }
    List<String> parts = new ArrayList<>();
    patterns.forEach((pattern, numbers) -> {
      if (numbers == null) {
        parts.add(pattern);
      } else if (numbers.size() == 1) {
        parts.add(pattern.replace("%s", numbers.first().toString()));
      } else {
        parts.add(pattern.replace("%s", "[" + ranges(numbers) + "]"));
      }
    });
    return String.join(",", parts);
  }

  /** ClusterShell's order: by name pattern, then by index. */
  static final Comparator<String> ORDER = Comparator.comparing((String n) -> key(n)[0]).thenComparing(n -> Long.parseLong(key(n)[1]));

  private static String[] key(String node) {
    Matcher m = NUMBERED.matcher(node);
    return m.matches() ? new String[] {m.group(1) + "%s" + m.group(3), m.group(2)} : new String[] {node, "-1"};
  }

  private static String ranges(TreeSet<Integer> numbers) {
    List<String> out = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int n : numbers) {
      if (start == null) {
        start = n;
      } else if (n != prev + 1) {
        out.add(start.equals(prev) ? "" + start : start + "-" + prev);
        start = n;
      }
      prev = n;
    }
    out.add(start.equals(prev) ? "" + start : start + "-" + prev);
    return String.join(",", out);
  }

  /** Splits on the commas outside brackets. */
  private static List<String> split(String nodeset) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : nodeset.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString().trim());
    return parts;
  }

  /** Unions several node set strings. */
  static Set<String> parseAll(List<String> nodesets, Function<String, String> groups) {
    Set<String> nodes = new LinkedHashSet<>();
    nodesets.forEach(s -> nodes.addAll(parse(s, groups)));
    Set<String> sorted = new TreeSet<>(ORDER);
    sorted.addAll(nodes);
    return sorted;
  }
}
