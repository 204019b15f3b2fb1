package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nodeset -e|-f|-c|-l[l[l]] [-s SOURCE] [-O FORMAT] [-S SEP] [-x NODESET]… NODESET…}:
 * ClusterShell's node set tool over the host's {@link Groups}. {@code -O} formats each node with
 * {@code -e} and the folded set with {@code -f}. Exit 1 for a group that cannot be resolved.
 */
final class Nodeset implements NodeCommand {

  private final Groups groups;

  Nodeset(Groups groups) {
    this.groups = groups;
  }

  @Override
  public int run(Invocation call) throws IOException {
    char mode = 0;
    int list = 0;
    String source = "";
    String format = "%s";
    String separator = " ";
    List<String> sets = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-") || a.length() < 2) {
        sets.add(a);
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if ("sOSx".indexOf(c) >= 0) {
          String value = j + 1 < a.length() ? a.substring(j + 1) : (i + 1 < args.size() ? args.get(++i) : null);
          if (value == null) {
            return call.fail(2, "error: -" + c + " option requires an argument");
          }
          switch (c) {
            case 's' -> source = value;
            case 'O' -> format = value;
            case 'S' -> separator = value;
            default -> excluded.add(value);
          }
          break;
        } else if (c == 'e' || c == 'f' || c == 'c') {
          mode = c;
        } else if (c == 'l') {
          list++;
        } else {
          return call.fail(2, "error: no such option: -" + c);
        }
      }
    }
    try {
      if (list > 0) {
        return listGroups(call, source, list);
      }
      String src = source;
      Set<String> nodes = NodeSets.parseAll(sets, g -> groups.resolve(g.startsWith(":") && !groups.isDefault(src) ? src + g : g));
      nodes.removeAll(NodeSets.parseAll(excluded, groups::resolve));
      switch (mode) {
        case 'e' -> call.out(String.join(separator, nodes.stream().map(format::formatted).toList()));
        case 'f' -> call.out(format.formatted(NodeSets.fold(nodes)));
        case 'c' -> call.out(String.valueOf(nodes.size()));
        default -> {
          return call.fail(2, "error: no command specified.");
        }
      }
      return 0;
    } catch (NodeSets.GroupException e) {
      return call.fail(1, e.getMessage());
    }
  }

  private int listGroups(Invocation call, String source, int level) throws IOException {
    for (Map.Entry<String, String> group : groups.groups(source).entrySet()) {
      String name = groups.isDefault(source) ? "@" + group.getKey() : "@" + source + ":" + group.getKey();
      Set<String> nodes = NodeSets.parse(group.getValue(), groups::resolve);
      String line = switch (level) {
        case 1 -> name;
        case 2 -> name + " " + NodeSets.fold(nodes);
        default -> name + " " + NodeSets.fold(nodes) + " " + nodes.size();
      };
      call.out(line);
    }
    return 0;
  }
}
