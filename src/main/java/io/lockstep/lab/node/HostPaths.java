package io.lockstep.lab.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the host paths of node sandboxes in a tool's text output back to node paths, so that
 * {@code rsync: [sender] link_stat "/sysvol/x" failed} reads as it would on a real node instead of
 * exposing {@code …/nodes/node-1/root/sysvol/x}.
 */
final class HostPaths {

  private final Pattern sandboxRoot;

  /** @param nodesDir the folder holding every node's {@code NAME/root} */
  HostPaths(Path nodesDir) {
    Path absolute = nodesDir.toAbsolutePath().normalize();
    String alternatives = Pattern.quote(absolute.toString());
    try {
      Path real = absolute.toRealPath();
      if (!real.equals(absolute)) {
        alternatives = alternatives + "|" + Pattern.quote(real.toString());
      }
    } catch (IOException e) {
      // not created yet: only the configured form can appear in output
    }
    this.sandboxRoot = Pattern.compile("(?:" + alternatives + ")/[a-z0-9][-a-z0-9]*/root(/?)");
  }

  /** The text with every sandbox root replaced by "/" (or nothing when a path continues after it). */
  String toNodePaths(String text) {
    Matcher m = sandboxRoot.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "/");
    }
    m.appendTail(out);
    return out.toString();
  }
}
