package io.lockstep.lab.node;

import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code etcdctl} (API v3, as etcd 3.4+ defaults to) on a lab etcd node: {@code endpoint health
 * [--cluster]} and {@code member list}, each with {@code -w table|simple|json}, over the etcd
 * members of the seed. A member is up while its node's {@code etcd} unit is active; the cluster
 * commits (has a leader) while more than half of its members are up.
 *
 * <p>Like the real tool it needs {@code --cacert}, {@code --cert} and {@code --key} files that
 * exist when the endpoints are https, and it reaches the members only through the endpoints it is
 * given: {@code 127.0.0.1} is this node's own member. Exit status 1 for every failure, with
 * etcdctl's {@code Error: …} line.
 *
 * <p>A member that {@code systemctl} started less than the lab's etcd start delay ago ({@code
 * lockstep.lab.etcd-start-delay}) answers its port but is not healthy yet, as a real member that
 * still joins the cluster and waits for a leader: {@code endpoint health} says it is unhealthy
 * ({@code context deadline exceeded}, exit 1) and it does not count for the quorum until then.
 */
final class Etcdctl implements NodeCommand {

  private final LabSeed.Node self;
  private final List<LabSeed.Node> members;
  private final Sandbox sandbox;
  private final Predicate<String> etcdActive;
  private final Settling settling;

  /**
   * How long a started member takes to be healthy.
   *
   * @param startedAt when {@code systemctl} last started the member on a node; empty for a settled one
   * @param delay how long after that start it is healthy (read at each call); zero for at once
   * @param clock the lab's clock
   */
  record Settling(java.util.function.Function<String, Optional<java.time.Instant>> startedAt,
      java.util.function.Supplier<java.time.Duration> delay, java.time.Clock clock) {

    static final Settling NONE = new Settling(n -> Optional.empty(), () -> java.time.Duration.ZERO,
        java.time.Clock.systemUTC());

    /** Whether the member on {@code node}, running, is still joining. */
    boolean joining(String node) {
      java.time.Duration wait = delay.get();
      if (wait == null || wait.isZero() || wait.isNegative()) {
        return false;
      }
      return startedAt.apply(node).map(at -> clock.instant().isBefore(at.plus(wait))).orElse(false);
    }
  }

  Etcdctl(LabSeed.Node self, List<LabSeed.Node> members, Sandbox sandbox, Predicate<String> etcdActive) {
    this(self, members, sandbox, etcdActive, Settling.NONE);
  }

  Etcdctl(LabSeed.Node self, List<LabSeed.Node> members, Sandbox sandbox, Predicate<String> etcdActive,
      Settling settling) {
    this.self = self;
    this.members = List.copyOf(members);
    this.sandbox = sandbox;
    this.etcdActive = etcdActive;
    this.settling = settling;
  }

  /** The flags and words of one call. */
  private record Call(List<String> endpoints, String format, boolean cluster, List<String> files, List<String> words) {}

  @Override
  public int run(Invocation call) throws IOException {
    Call parsed;
    try {
      parsed = parse(call.args());
    } catch (IllegalArgumentException e) {
      call.err("Error: " + e.getMessage());
      return 1;
    }
    for (String file : parsed.files()) {
      if (!Files.isRegularFile(sandbox.resolve(file))) {
        call.err("Error: open " + file + ": no such file or directory");
        return 1;
      }
    }
    if (parsed.endpoints().stream().anyMatch(e -> e.startsWith("https://")) && parsed.files().size() < 3) {
      call.err("Error: context deadline exceeded");
      call.err("(https endpoints need --cacert, --cert and --key)");
      return 1;
    }
    String verb = String.join(" ", parsed.words());
    return switch (verb) {
      case "endpoint health" -> health(call, parsed);
      case "member list" -> memberList(call, parsed);
      case "version" -> {
        call.out("etcdctl version: 3.5.12");
        call.out("API version: 3.5");
        yield 0;
      }
      default -> {
        call.err("Error: unknown command \"" + verb + "\" for \"etcdctl\" (the lab knows endpoint health, member list, version)");
        yield 1;
      }
    };
  }

  private static Call parse(List<String> args) {
    List<String> endpoints = List.of("127.0.0.1:2379");
    String format = "simple";
    boolean cluster = false;
    List<String> files = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean takesValue = switch (flag) {
        case "--endpoints", "--cacert", "--cert", "--key", "-w", "--write-out", "--dial-timeout", "--command-timeout" -> true;
        default -> false;
      };
      String value = null;
      if (takesValue) {
        if (arg.contains("=")) {
          value = arg.substring(arg.indexOf('=') + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException("flag needs an argument: " + flag);
        }
      }
      switch (flag) {
        case "--endpoints" -> endpoints = List.of(value.split(","));
        case "--cacert", "--cert", "--key" -> files.add(value);
        case "-w", "--write-out" -> format = value.toLowerCase(Locale.ROOT);
        case "--cluster" -> cluster = true;
        case "--dial-timeout", "--command-timeout", "--insecure-skip-tls-verify" -> { }
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown flag: " + flag);
          }
          words.add(arg);
        }
      }
    }
    if (!List.of("simple", "table", "json").contains(format)) {
      throw new IllegalArgumentException("unsupported output format " + format);
    }
    return new Call(endpoints, format, cluster, List.copyOf(files), List.copyOf(words));
  }

  /** The member an endpoint reaches: by its address; 127.0.0.1 and localhost are this node. */
  private Optional<LabSeed.Node> memberAt(String endpoint) {
    String host = endpoint.replaceFirst("^[a-z]+://", "").replaceFirst(":\\d+/?$", "");
    String ip = host.equals("127.0.0.1") || host.equals("localhost") ? self.ip() : host;
    return members.stream().filter(m -> m.ip().equals(ip) || m.name().equals(ip)).findFirst();
  }

  private boolean up(LabSeed.Node member) {
    return etcdActive.test(member.name());
  }

  /** Running and done joining: it serves and counts for the quorum. */
  private boolean settled(LabSeed.Node member) {
    return up(member) && !settling.joining(member.name());
  }

  private boolean quorum() {
    long up = members.stream().filter(this::settled).count();
    return up * 2 > members.size();
  }

  /** The first endpoint whose member answers, or the error of the last one. */
  private Optional<LabSeed.Node> reachable(Call parsed, Invocation call) throws IOException {
    for (String endpoint : parsed.endpoints()) {
      Optional<LabSeed.Node> member = memberAt(endpoint);
      if (member.isPresent() && up(member.get())) {
        return member;
      }
    }
    String last = parsed.endpoints().get(parsed.endpoints().size() - 1);
    call.err("Error: dial tcp " + last.replaceFirst("^[a-z]+://", "") + ": connect: connection refused");
    return Optional.empty();
  }

  private int health(Invocation call, Call parsed) throws IOException {
    List<String> endpoints;
    if (parsed.cluster()) {
      if (reachable(parsed, call).isEmpty()) {
        return 1;
      }
      if (!quorum()) {
        call.err("Error: etcdserver: request timed out");
        return 1;
      }
      endpoints = members.stream().map(m -> EtcdFiles.clientUrl(m.ip())).toList();
    } else {
      endpoints = parsed.endpoints();
    }
    boolean quorum = quorum();
    List<String> json = new ArrayList<>();
    boolean allHealthy = true;
    for (String endpoint : endpoints) {
      Optional<LabSeed.Node> member = memberAt(endpoint);
      boolean healthy = member.isPresent() && settled(member.get()) && quorum;
      String error = member.isEmpty() || !up(member.get())
          ? "dial tcp " + endpoint.replaceFirst("^[a-z]+://", "") + ": connect: connection refused"
          : "failed to commit proposal: context deadline exceeded";
      allHealthy &= healthy;
      if (parsed.format().equals("json")) {
        json.add("{\"endpoint\":\"" + endpoint + "\",\"health\":" + healthy + ",\"took\":\""
            + (healthy ? "2.41ms" : "5.000962084s") + "\"" + (healthy ? "" : ",\"error\":\"" + error + "\"") + "}");
      } else if (healthy) {
        call.out(endpoint + " is healthy: successfully committed proposal: took = 2.41ms");
      } else {
        call.err(endpoint + " is unhealthy: " + error);
      }
    }
    if (parsed.format().equals("json")) {
      call.out("[" + String.join(",", json) + "]");
    }
    if (!allHealthy) {
      call.err("Error: unhealthy cluster");
      return 1;
    }
    return 0;
  }

  private int memberList(Invocation call, Call parsed) throws IOException {
    if (reachable(parsed, call).isEmpty()) {
      return 1;
    }
    if (!quorum()) {
      call.err("Error: etcdserver: request timed out");
      return 1;
    }
    List<String> json = new ArrayList<>();
    for (LabSeed.Node m : members) {
      String id = Long.toHexString(memberId(m));
      String peer = "https://" + m.ip() + ":" + EtcdFiles.PEER_PORT;
      String client = EtcdFiles.clientUrl(m.ip());
      if (parsed.format().equals("json")) {
        json.add("{\"ID\":" + Long.toUnsignedString(memberId(m)) + ",\"name\":\"" + EtcdFiles.memberName(m.name())
            + "\",\"peerURLs\":[\"" + peer + "\"],\"clientURLs\":[\"" + client + "\"]}");
      } else {
        call.out(id + ", started, " + EtcdFiles.memberName(m.name()) + ", " + peer + ", " + client + ", false");
      }
    }
    if (parsed.format().equals("json")) {
      call.out("{\"header\":{\"cluster_id\":14841639068965178418,\"member_id\":" + Long.toUnsignedString(memberId(self))
          + ",\"raft_term\":7},\"members\":[" + String.join(",", json) + "]}");
    }
    return 0;
  }

  private static long memberId(LabSeed.Node member) {
    return java.util.UUID.nameUUIDFromBytes(member.name().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .getMostSignificantBits() & Long.MAX_VALUE;
  }
}
