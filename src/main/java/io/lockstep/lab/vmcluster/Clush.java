package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code clush [-b|-B] [-S] [-L] [-N] -w NODESET [-x NODESET] [-g GROUP] COMMAND…}: runs the
 * command (its words joined by spaces, as clush does) on every node in parallel through each
 * host's lab shell, the way ssh would reach it. A host that does not answer fails with exit code
 * 255 and ssh's message. With {@code -b} outputs are gathered (dshbak-style blocks, nodes with the
 * same output folded together); errors go to stderr as {@code NODE: line}, followed by
 * {@code clush: NODES: exited with exit code N}. The exit status is the largest of the commands'
 * (the hosts' clush.conf sets {@code maxrc: yes}, as {@code -S} does).
 */
final class Clush implements NodeCommand {

  private static final String SEPARATOR = "---------------";

  private final VmClusterLab lab;
  private final Groups groups;

  Clush(VmClusterLab lab, Groups groups) {
    this.lab = lab;
    this.groups = groups;
  }

  private record Result(String node, int status, byte[] out, String err) {}

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    boolean gather = false;
    boolean prefix = true;
    List<String> targets = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    List<String> args = call.args();
    int i = 0;
    for (; i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1; i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        i++;
        break;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if (c == 'w' || c == 'x' || c == 'g') {
          String value = j + 1 < a.length() ? a.substring(j + 1) : (i + 1 < args.size() ? args.get(++i) : null);
          if (value == null) {
            return call.fail(2, "error: -" + c + " option requires an argument");
          }
          (c == 'x' ? excluded : targets).add(c == 'g' ? "@" + value : value);
          break;
        } else if (c == 'b' || c == 'B') {
          gather = true;
        } else if (c == 'N') {
          prefix = false;
        } else if ("SLqn".indexOf(c) < 0) {
          return call.fail(2, "error: no such option: -" + c);
        }
      }
    }
    String command = String.join(" ", args.subList(i, args.size()));
    Set<String> nodes;
    try {
      nodes = NodeSets.parseAll(targets, groups::resolve);
      nodes.removeAll(NodeSets.parseAll(excluded, groups::resolve));
    } catch (NodeSets.GroupException e) {
      return call.fail(1, e.getMessage());
    }
    if (nodes.isEmpty()) {
      call.err("Usage: clush [options] command");
      call.err("");
      return call.fail(2, "error: No node to run on.");
    }
    if (command.isBlank()) {
      return call.fail(1, "ERROR: interactive mode requires a tty");
    }
    List<Result> results = runEverywhere(nodes, command);
    for (Result r : results) {
      for (String line : r.err().lines().toList()) {
        call.err(r.node() + ": " + line);
      }
    }
    if (gather) {
      printGathered(call, results);
    } else {
      for (Result r : results) {
        for (String line : new String(r.out(), StandardCharsets.UTF_8).lines().toList()) {
          call.out(prefix ? r.node() + ": " + line : line);
        }
      }
    }
    return exitStatus(call, results);
  }

  private List<Result> runEverywhere(Set<String> nodes, String command) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size(), r -> {
      Thread t = new Thread(r, "lab-clush");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, Future<Result>> futures = new LinkedHashMap<>();
      for (String node : nodes) {
        futures.put(node, pool.submit(() -> runOn(node, command)));
      }
      List<Result> results = new ArrayList<>();
      for (Map.Entry<String, Future<Result>> f : futures.entrySet()) {
        try {
          results.add(f.getValue().get());
        } catch (ExecutionException e) {
          results.add(new Result(f.getKey(), 255, new byte[0], "lab: " + e.getCause().getMessage() + "\n"));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private Result runOn(String node, String command) throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    if (lab.platform().seed().host(node).isEmpty()) {
      return new Result(node, 255, new byte[0],
          "ssh: Could not resolve hostname " + node + ": Name or service not known\n");
    }
    int status = lab.hosts().run(node, command, InputStream.nullInputStream(), out, err);
    return new Result(node, status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** dshbak-style blocks: by exit status, then nodes with the same output together. */
  private static void printGathered(Invocation call, List<Result> results) throws IOException {
    Map<Integer, Map<String, Set<String>>> byStatus = new TreeMap<>();
    for (Result r : results) {
      String out = new String(r.out(), StandardCharsets.UTF_8);
      if (!out.isEmpty()) {
        byStatus.computeIfAbsent(r.status(), s -> new LinkedHashMap<>())
            .computeIfAbsent(out, o -> new TreeSet<>(NodeSets.ORDER)).add(r.node());
      }
    }
    for (Map<String, Set<String>> outputs : byStatus.values()) {
      List<Map.Entry<String, Set<String>>> blocks = new ArrayList<>(outputs.entrySet());
      blocks.sort(Comparator.comparing((Map.Entry<String, Set<String>> e) -> -e.getValue().size())
          .thenComparing(e -> e.getValue().iterator().next(), NodeSets.ORDER));
      for (Map.Entry<String, Set<String>> block : blocks) {
        call.out(SEPARATOR);
        call.out(label(block.getValue()));
        call.out(SEPARATOR);
        String text = block.getKey();
        call.out().write((text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static int exitStatus(Invocation call, List<Result> results) throws IOException {
    Map<Integer, Set<String>> failed = new TreeMap<>();
    int max = 0;
    for (Result r : results) {
      max = Math.max(max, r.status());
      if (r.status() != 0) {
        failed.computeIfAbsent(r.status(), s -> new TreeSet<>(NodeSets.ORDER)).add(r.node());
      }
    }
    for (Map.Entry<Integer, Set<String>> f : failed.entrySet()) {
      call.err("clush: " + label(f.getValue()) + ": exited with exit code " + f.getKey());
    }
    return max;
  }

  private static String label(Set<String> nodes) {
    return nodes.size() > 1 ? NodeSets.fold(nodes) + " (" + nodes.size() + ")" : NodeSets.fold(nodes);
  }
}
