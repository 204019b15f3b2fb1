package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.HostKeyRejectedException;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshAuthenticationException;
import io.lockstep.ssh.SshException;
import io.lockstep.ssh.SshProperties;
import io.lockstep.ssh.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Logs in to nodes with a password a procedure holds (not the console's own credentials) and runs
 * {@code true}: the proof, before anything changes, that a tool which logs in with that password
 * will get in. P1's {@code proton-cli apply -p PASSWORD} SSHes to every node of the cluster
 * configuration as root; a password it would be refused with must stop the run in its first
 * phase, not after the applications are stopped.
 *
 * <p>Each check opens a fresh SSH client that offers this password and nothing else (no key), with
 * host keys pinned against the console's known_hosts exactly as for every other login, and closes
 * it again. The password is sent to nothing but the nodes' sshd: it is not on a command line, and
 * no message of this class contains it.
 */
@Component
public class PasswordLogins {

  /** The command run once logged in: it changes nothing and always exits 0. */
  static final RemoteCommand TRUE = RemoteCommand.of("true");
  private static final String MASK = "******";
  /** Shorter passwords are not searched for in messages: they would hit ordinary words. */
  private static final int MIN_SCRUBBED = 4;

  private final SshProperties ssh;
  private final NodeAddresses addresses;
  private final int parallelism;

  /**
   * @param ssh the console's SSH settings: port, known_hosts and timeouts are used as they are; the
   *     user and credentials are replaced by those of each check
   */
  public PasswordLogins(SshProperties ssh, NodeAddresses addresses) {
    this(ssh, addresses, new SshStepsProperties(16, Duration.ofSeconds(10)));
  }

  @Autowired
  PasswordLogins(SshProperties ssh, NodeAddresses addresses, SshStepsProperties properties) {
    this.ssh = ssh;
    this.addresses = addresses;
    this.parallelism = properties.parallelism();
  }

  /**
   * How the login went on one node.
   *
   * @param address where the node was sought ({@code 10.0.0.4:22}); empty when its address could not
   *     be found
   * @param refused the node's sshd refused the password (its host key was accepted)
   * @param problem null when the login succeeded and {@code true} exited 0; otherwise what went
   *     wrong, in words for the operator, never containing the password
   */
  public record Login(String node, String address, boolean refused, @Nullable String problem) {

    public boolean succeeded() {
      return problem == null;
    }

    /** {@code node-4 (127.0.10.4:22): <problem>}. */
    public String described() {
      return node + (address.isEmpty() ? "" : " (" + address + ")") + ": " + (problem == null ? "logged in" : problem);
    }
  }

  /**
   * Logs in to each of {@code nodes} (duplicates once) as {@code user} with {@code password}, at most
   * {@code lockstep.sshsteps.parallelism} at a time, and runs {@code true}; declares each login to
   * the run as an action first. Every node is tried, also after one failed.
   *
   * @param timeout how long each node's login (at least the console's {@code lockstep.ssh.auth-timeout})
   *     and command may take
   * @return one result per node, in the order given
   * @throws InterruptedException the step was ended; logins under way were stopped
   */
  public List<Login> check(StepContext context, List<String> nodes, String user, String password, Duration timeout)
      throws InterruptedException {
    // the login may take the check's whole time: a loaded node (or one whose sshd looks up names)
    // is slow to answer, which is not what this check is about
    Duration login = timeout.compareTo(ssh.authTimeout()) > 0 ? timeout : ssh.authTimeout();
    SshProperties withPassword = new SshProperties(user, ssh.port(), null, null, password, ssh.knownHosts(),
        ssh.connectTimeout(), login, timeout, null);
    try (NodeShell shell = new NodeShell(withPassword)) {
      List<Callable<Login>> logins = new ArrayList<>();
      for (String node : new LinkedHashSet<>(nodes)) {
        logins.add(() -> login(context, shell, node, user, password, timeout));
      }
      return NodePool.runAll(logins, parallelism, "ssh-login");
    }
  }

  private Login login(StepContext context, NodeShell shell, String node, String user, String password,
      Duration timeout) throws InterruptedException {
    SshTarget target;
    try {
      target = shell.target(node, addresses.hostOf(node));
    } catch (StepFailedException | IllegalArgumentException e) {
      return new Login(node, "", false, "cannot find its address: " + scrub(e.getMessage(), password));
    }
    context.action(node, "log in as " + user + " with the plan's password (" + MASK + ", host key pinned) and run "
        + TRUE);
    try {
      ExecResult result = shell.exec(target, TRUE, timeout, OutputListener.IGNORE);
      context.exitStatus(node, result.exitStatus());
      return result.succeeded() ? new Login(node, target.address(), false, null)
          : new Login(node, target.address(), false, "logged in, but " + TRUE + " exited " + result.exitStatus());
    } catch (SshAuthenticationException e) {
      return new Login(node, target.address(), true, "the password was refused for " + user + " ("
          + scrub(e.getMessage(), password) + ")");
    } catch (HostKeyRejectedException e) {
      return new Login(node, target.address(), false, scrub(e.getMessage(), password)
          + " (nothing was sent to it, not even the password)");
    } catch (SshException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("the login to " + node + " was interrupted");
      }
      return new Login(node, target.address(), false, scrub(e.getMessage(), password));
    }
  }

  /** {@code text} without the password, should a library ever echo it. */
  static String scrub(@Nullable String text, String password) {
    String message = String.valueOf(text);
    return password.length() >= MIN_SCRUBBED ? message.replace(password, MASK) : message;
  }
}
