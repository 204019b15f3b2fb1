package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code fping [-e] [-a] [-u] [-q] HOST…}: pings every host at once; prints {@code HOST is alive}
 * ({@code (0.12 ms)} with {@code -e}) or {@code HOST is unreachable}. Hosts are the cluster's by
 * name or ip and their BMCs ({@code NAME-bmc}, always alive). A slow peer (a fault tests inject)
 * answers after its latency, and fping waits for it. Exit 0 when all are alive, 1 when some are
 * unreachable, 2 when a name does not resolve.
 */
final class Fping implements NodeCommand {

  private final VmClusterLab lab;

  Fping(VmClusterLab lab) {
    this.lab = lab;
  }

  private record Reply(String target, boolean alive, double millis) {}

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    boolean elapsed = false;
    boolean aliveOnly = false;
    boolean unreachableOnly = false;
    boolean quiet = false;
    List<String> targets = new ArrayList<>();
    for (String a : call.args()) {
      switch (a) {
        case "-e" -> elapsed = true;
        case "-a" -> aliveOnly = true;
        case "-u" -> unreachableOnly = true;
        case "-q" -> quiet = true;
        default -> {
          if (a.startsWith("-")) {
            return call.fail(1, "invalid option -- '" + a.substring(1) + "'");
          }
          targets.add(a);
        }
      }
    }
    int status = 0;
    List<Reply> replies = new ArrayList<>();
    long wait = 0;
    for (String target : targets) {
      Optional<Reply> reply = ping(target);
      if (reply.isEmpty()) {
        call.err(target + ": Name or service not known");
        status = 2;
        continue;
      }
      replies.add(reply.get());
      wait = Math.max(wait, reply.get().alive() ? (long) reply.get().millis() : 0);
    }
    Thread.sleep(wait);
    for (Reply r : replies) {
      status = r.alive() ? status : Math.max(status, 1);
      if (quiet || (aliveOnly && !r.alive()) || (unreachableOnly && r.alive())) {
        continue;
      }
      if (aliveOnly || unreachableOnly) {
        call.out(r.target());
      } else if (!r.alive()) {
        call.out(r.target() + " is unreachable");
      } else {
        call.out(r.target() + " is alive" + (elapsed ? " (" + format(r.millis()) + " ms)" : ""));
      }
    }
    return status;
  }

  private Optional<Reply> ping(String target) {
    String name = target.endsWith("-bmc") ? target.substring(0, target.length() - 4) : target;
    Optional<VmClusterSeed.Host> host = lab.platform().seed().hosts().stream()
        .filter(h -> h.name().equals(name) || h.ip().equals(name)).findFirst();
    if (host.isEmpty() || (target.endsWith("-bmc") && !host.get().managed())) {
      return Optional.empty();
    }
    if (target.endsWith("-bmc")) {
      return Optional.of(new Reply(target, true, 0.31));
    }
    String h = host.get().name();
    boolean alive = lab.platform().read(p -> p.on(h));
    long latency = lab.platform().read(p -> p.latencyMillis(h));
    int index = lab.platform().seed().hosts().indexOf(host.get());
    return Optional.of(new Reply(target, alive, latency > 0 ? latency : 0.05 + 0.01 * index));
  }

  /** fping's way: two decimals under 10 ms, one under 100, none above. */
  private static String format(double ms) {
    return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms)
        : ms < 100 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms);
  }
}
