package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code pkill [-SIGNAL] [-x] [-f] PATTERN}: kills the host's processes whose name (or, with
 * {@code -f}, command line) matches the extended regular expression, as procps does: so
 * {@code pkill glusterfs} also kills glusterfsd. The processes: {@code glusterd},
 * {@code glusterfsd} (bricks), {@code glusterfs} (self-heal daemon, fuse clients), {@code fleetd}.
 * Exit 0 when one matched, 1 when none did, 2 for a bad pattern.
 */
final class Pkill implements NodeCommand {

  private final VmPlatform platform;
  private final String host;

  Pkill(VmPlatform platform, String host) {
    this.platform = platform;
    this.host = host;
  }

  @Override
  public int run(Invocation call) throws IOException {
    boolean exact = false;
    boolean full = false;
    String pattern = null;
    for (String a : call.args()) {
      if (a.equals("-x")) {
        exact = true;
      } else if (a.equals("-f")) {
        full = true;
      } else if (a.startsWith("-") && pattern == null) {
        continue;
      } else if (pattern == null) {
        pattern = a;
      } else {
        return call.fail(2, "only one pattern can be provided");
      }
    }
    if (pattern == null) {
      return call.fail(2, "no matching criteria specified");
    }
    Pattern regex;
    try {
      regex = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      return call.fail(2, "invalid pattern: " + pattern);
    }
    boolean byLine = full;
    boolean whole = exact;
    int killed = platform.change(p -> {
      Map<String, String[]> procs = processes(p);
      int n = p.kill(host, key -> procs.containsKey(key) && matches(regex, procs.get(key)[byLine ? 1 : 0], whole));
      if (p.fleetUp(host) && matches(regex, byLine ? "/usr/bin/fleetd" : "fleetd", whole)) {
        p.stopUnit(host, "fleet");
        n++;
      }
      return n;
    });
    return killed > 0 ? 0 : 1;
  }

  private static boolean matches(Pattern regex, String text, boolean exact) {
    return exact ? regex.matcher(text).matches() : regex.matcher(text).find();
  }

  /** Each process of the host by key: its name and command line. */
  private Map<String, String[]> processes(VmPlatform p) {
    Map<String, String[]> result = new LinkedHashMap<>();
    for (String key : p.procs(host)) {
      String volume = key.contains(":") ? key.substring(key.indexOf(':') + 1) : "";
      String[] proc;
      if (key.equals("glusterd")) {
        proc = new String[] {"glusterd", "/usr/sbin/glusterd -p /var/run/glusterd.pid --log-level INFO"};
      } else if (key.equals("glustershd")) {
        proc = new String[] {"glusterfs", "/usr/sbin/glusterfs -s localhost --volfile-id gluster/glustershd"};
      } else if (key.startsWith("glusterfsd:")) {
        proc = new String[] {"glusterfsd", "/usr/sbin/glusterfsd -s " + host + " --volfile-id " + volume + "." + host
            + ".gluster-" + volume + "-brick"};
      } else {
        proc = new String[] {"glusterfs", "/usr/sbin/glusterfs --process-name fuse --volfile-id=/" + volume + " "
            + p.seedVolume(volume).mountPoint()};
      }
      result.put(key, proc);
    }
    return result;
  }
}
