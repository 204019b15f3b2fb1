package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.RemotePaths;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code etcd.health}: asks etcd, from one of its nodes, whether every member is healthy
 * ({@code etcdctl endpoint health --cluster -w json}, with the endpoints and certificates of that
 * node's {@code /etc/etcd.env}), or, given {@code stopping}, whether the cluster keeps its quorum
 * when the member on that node stops (PROCEDURES.md P2's precondition).
 *
 * <p>The nodes in {@code on} are tried in order until one answers: a node whose own member is
 * down cannot list the cluster. The environment file is read with {@code cat} and parsed here,
 * never sourced, so nothing it holds reaches a shell unchecked.
 */
@Component
class EtcdHealth implements StepExecutor {

  static final String TYPE = "etcd.health";
  private static final Set<String> NAMES = Set.of("on", "stopping", "env_file", "etcdctl");
  private static final Duration PER_COMMAND = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RemoteCapture remote;

  EtcdHealth(RemoteCapture remote) {
    this.remote = remote;
  }

  /** The step's params, checked. */
  record Params(List<String> on, Optional<String> stopping, String envFile, String etcdctl) {

    static Params from(Map<String, ?> params) {
      Set<String> unknown = new TreeSet<>(params.keySet());
      unknown.removeAll(NAMES);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ")
            + String.join(", ", unknown) + "; " + TYPE + " takes on, stopping, env_file and etcdctl");
      }
      List<String> on = ExecParams.nodes(params.get("on"));
      on.forEach(NodeNames::require);
      Optional<String> stopping = Optional.ofNullable(params.get("stopping")).map(v -> {
        if (!(v instanceof String node)) {
          throw new IllegalArgumentException("param 'stopping' must be a node name");
        }
        return NodeNames.require(node);
      });
      String envFile = text(params, "env_file", "/etc/etcd.env");
      try {
        RemotePaths.requireAbsolute(envFile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("param 'env_file': " + e.getMessage(), e);
      }
      String etcdctl = text(params, "etcdctl", "etcdctl");
      if (!etcdctl.matches("[A-Za-z0-9._/-]+")) {
        throw new IllegalArgumentException("param 'etcdctl' must be a program name or path");
      }
      return new Params(List.copyOf(on), stopping, envFile, etcdctl);
    }

    private static String text(Map<String, ?> params, String name, String fallback) {
      Object value = params.get(name);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String text) || text.isBlank()) {
        throw new IllegalArgumentException("param '" + name + "' must be text");
      }
      return text;
    }
  }

  /** One member's answer. */
  record Member(String endpoint, boolean healthy, String error) {

    String host() {
      return URI.create(endpoint).getHost();
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(2);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params p = Params.from(params);
    String what = p.etcdctl() + " --endpoints/--cacert/--cert/--key from " + p.envFile()
        + " endpoint health --cluster -w json";
    return StepPreview.of(Line.of("preview.ssh.etcdHealth", "on the first of {0} that answers: {1}, then {2}",
        String.join(", ", p.on()), "cat " + p.envFile(), what),
        p.stopping().map(n -> Line.of("preview.ssh.etcdHealth.quorum", "passes when the members other than {0}''s keep"
            + " the quorum", n))
            .orElseGet(() -> Line.of("preview.ssh.etcdHealth.healthy", "passes when every member is healthy")));
  }


  @Override
  public String execute(StepContext context) throws Exception {
    Params p = Params.from(context.params());
    List<String> problems = new ArrayList<>();
    for (String node : p.on()) {
      Optional<List<Member>> members = ask(context, p, node, problems);
      if (members.isPresent()) {
        return judge(context, p, node, members.get());
      }
    }
    throw new StepFailedException("no etcd node answered: " + String.join("; ", problems));
  }

  /** The members' health as etcd on {@code node} reports it; empty (and a problem noted) when it cannot tell. */
  private Optional<List<Member>> ask(StepContext context, Params p, String node, List<String> problems)
      throws InterruptedException {
    RemoteCapture.Output env;
    try {
      env = remote.run(context, node, new RemoteCommand(List.of("cat", p.envFile())), PER_COMMAND);
    } catch (StepFailedException e) {
      problems.add(node + ": " + e.getMessage());
      return Optional.empty();
    }
    if (env.status() != 0) {
      problems.add(node + ": cannot read " + p.envFile() + " (" + env.described() + ")");
      return Optional.empty();
    }
    EtcdEnv etcd = EtcdEnv.parse(node + ":" + p.envFile(), env.out());
    RemoteCapture.Output health = remote.run(context, node,
        new RemoteCommand(etcd.etcdctl(p.etcdctl(), "endpoint", "health", "--cluster", "-w", "json")), PER_COMMAND);
    health.err().lines().forEach(line -> context.err(node, line));
    Optional<List<Member>> members = members(health.out());
    if (members.isEmpty()) {
      problems.add(node + ": " + health.described());
    }
    return members;
  }

  private String judge(StepContext context, Params p, String node, List<Member> members) {
    int total = members.size();
    int quorum = total / 2 + 1;
    List<Member> healthy = members.stream().filter(Member::healthy).toList();
    for (Member m : members) {
      context.info(named(m) + (m.healthy() ? " is healthy" : " is unhealthy: " + m.error()));
    }
    String unhealthy = members.stream().filter(m -> !m.healthy())
        .map(m -> named(m) + " (" + m.error() + ")").collect(Collectors.joining(", "));
    if (p.stopping().isEmpty()) {
      if (healthy.size() < total) {
        throw new StepFailedException("etcd is not healthy: " + healthy.size() + " of " + total
            + " members healthy, asked on " + node + "; unhealthy: " + unhealthy);
      }
      return context.said(Line.of("summary.ssh.etcdHealth.all", "all {0} etcd members healthy (asked on {1})", total,
          node));
    }
    String stopping = p.stopping().get();
    String stoppingHost = remote.hostOf(stopping);
    Optional<Member> own = members.stream().filter(m -> m.host().equals(stoppingHost)).findFirst();
    if (own.isEmpty()) {
      throw new StepFailedException(stopping + " (" + stoppingHost + ") runs no member of this etcd cluster; members: "
          + members.stream().map(this::named).collect(Collectors.joining(", ")));
    }
    int after = healthy.size() - (own.get().healthy() ? 1 : 0);
    String others = healthy.stream().filter(m -> m != own.get()).map(this::named).collect(Collectors.joining(", "));
    if (after < quorum) {
      throw new StepFailedException("stopping etcd on " + stopping + " would break the quorum: " + after + " of "
          + total + " members would be healthy, etcd needs " + quorum
          + (unhealthy.isEmpty() ? "" : "; already unhealthy: " + unhealthy)
          + "; with " + stopping + "'s member stopped only " + (others.isEmpty() ? "no member" : others)
          + " would answer, fewer than the " + quorum + " of " + total + " a quorum needs, so etcd would stop"
          + " committing and the Kubernetes API would stop answering. Bring the unhealthy members back first"
          + " (systemctl start etcd there), then retry this check; " + stopping + "'s etcd was not touched");
    }
    Line keeps = Line.of("summary.ssh.etcdHealth.quorum", "etcd keeps its quorum while {0} is down: {1} of {2} members"
        + " healthy, {3} needed", stopping, after, total, quorum);
    return context.said(unhealthy.isEmpty() ? keeps : Line.of("summary.ssh.etcdHealth.unhealthyNow",
        "{0}; unhealthy now: {1}", keeps, unhealthy));
  }

  /** A member by its node and endpoint ({@code node-3 https://10.0.0.3:2379}), or by its endpoint alone. */
  private String named(Member m) {
    return remote.nodeAt(m.host()).map(n -> n + " " + m.endpoint()).orElse(m.endpoint());
  }

  /** etcdctl's JSON answer; empty when the output holds none (etcdctl could not reach the cluster). */
  static Optional<List<Member>> members(String out) {
    int start = out.indexOf('[');
    if (start < 0) {
      return Optional.empty();
    }
    try {
      JsonNode array = JSON.readTree(out.substring(start, out.lastIndexOf(']') + 1));
      List<Member> members = new ArrayList<>();
      for (JsonNode m : array) {
        String endpoint = m.path("endpoint").asString("");
        if (!endpoint.matches("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?")) {
          return Optional.empty();
        }
        members.add(new Member(endpoint, m.path("health").asBoolean(false), m.path("error").asString("")));
      }
      return members.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(members));
    } catch (JacksonException | StringIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }
}
