package io.lockstep.sshsteps;

import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which machines run an etcd member, as etcd itself says ({@code etcdctl member list -w json} on
 * an etcd node, with the endpoints and certificates of its {@code /etc/etcd.env}): KubeKey runs
 * etcd as a systemd unit, not as a static pod, and labels no node for it, so the Kubernetes API
 * cannot tell. Used where no run exists yet (a plan being saved), so nothing here is declared to a
 * run; it only reads.
 */
@Component
public class EtcdMembers {

  private static final Duration PER_COMMAND = Duration.ofSeconds(20);
  private static final String ENV_FILE = "/etc/etcd.env";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final NodeShell shell;
  private final NodeAddresses addresses;

  public EtcdMembers(NodeShell shell, NodeAddresses addresses) {
    this.shell = shell;
    this.addresses = addresses;
  }

  /**
   * The addresses (hosts of the client and peer URLs) of every etcd member, asked on the first of
   * {@code askOn} that answers.
   *
   * @throws IllegalStateException no node could tell, each node's reason named
   */
  public Set<String> hosts(List<String> askOn) {
    List<String> problems = new ArrayList<>();
    for (String node : askOn) {
      try {
        return ask(node);
      } catch (StepFailedException | IllegalStateException e) {
        problems.add(node + ": " + e.getMessage());
      }
    }
    throw new IllegalStateException("no etcd node answered etcdctl member list"
        + (problems.isEmpty() ? " (no node to ask)" : ": " + String.join("; ", problems)));
  }

  private Set<String> ask(String node) {
    String host = addresses.hostOf(node);
    String env = run(node, host, RemoteCommand.of("cat", ENV_FILE), "cannot read " + ENV_FILE);
    EtcdEnv etcd = EtcdEnv.parse(node + ":" + ENV_FILE, env);
    String out = run(node, host, new RemoteCommand(etcd.etcdctl("etcdctl", "member", "list", "-w", "json")),
        "etcdctl member list failed");
    return parse(out);
  }

  private String run(String node, String host, RemoteCommand command, String doing) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    OutputListener listener = (stream, line) -> {
      synchronized (out) {
        (stream == OutputListener.Stream.STDOUT ? out : err).append(line).append('\n');
      }
    };
    ExecResult result;
    try {
      result = shell.exec(shell.target(node, host), command, PER_COMMAND, listener);
    } catch (SshException e) {
      throw new IllegalStateException(String.valueOf(e.getMessage()), e);
    }
    synchronized (out) {
      if (result.exitStatus() != 0) {
        String last = err.toString().strip().lines().reduce((a, b) -> b).orElse("");
        throw new IllegalStateException(doing + " (exit " + result.exitStatus() + (last.isEmpty() ? "" : ": " + last) + ")");
      }
      return out.toString();
    }
  }

  /** The member hosts of etcdctl's JSON answer. */
  static Set<String> parse(String out) {
    int start = out.indexOf('{');
    if (start < 0) {
      throw new IllegalStateException("etcdctl member list printed no JSON");
    }
    Set<String> hosts = new LinkedHashSet<>();
    try {
      JsonNode members = JSON.readTree(out.substring(start)).path("members");
      for (JsonNode member : members) {
        for (String field : List.of("clientURLs", "peerURLs")) {
          for (JsonNode url : member.path(field)) {
            String host = URI.create(url.asString("")).getHost();
            if (host != null && !host.equals("127.0.0.1") && !host.equals("localhost")) {
              hosts.add(host);
            }
          }
        }
      }
    } catch (JacksonException | IllegalArgumentException e) {
      throw new IllegalStateException("etcdctl member list printed what is not its JSON answer", e);
    }
    if (hosts.isEmpty()) {
      throw new IllegalStateException("etcdctl member list named no member");
    }
    return hosts;
  }
}
