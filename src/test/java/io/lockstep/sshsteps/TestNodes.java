package io.lockstep.sshsteps;

import io.lockstep.ssh.SshProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * Nodes for the tests: one real SSH server per node, each on its own loopback address
 * ({@code 127.0.77.N}), all on one port, as on a real platform where every node's sshd listens on
 * 22. Commands run as sshd runs them, by {@code /bin/sh} on this machine (so coreutils
 * {@code timeout} is the real one), with {@code NODE_NAME} set to the node's name. User
 * {@code root} logs in with {@link #PASSWORD}.
 *
 * <p>When the client closes the channel of a command still running, the server kills the
 * command's processes (and counts it, see {@link #stoppedWhileRunning}), so no test leaves
 * processes behind.
 */
final class TestNodes implements AutoCloseable {

  static final String PASSWORD = "n0de-Passw0rd";
  private static final String NET = "127.0.77.";
  private static final int PORT_ATTEMPTS = 20;

  /** A node: its name, its address, and whether known_hosts pins its host key. */
  record Spec(String name, int hostByte, boolean pinned) {
    String ip() {
      return NET + hostByte;
    }
  }

  private final Path dir;
  private final List<Spec> specs;
  private final Map<String, KeyPair> hostKeys = new LinkedHashMap<>();
  private final List<SshServer> servers = new ArrayList<>();
  private final List<String> commandLines = new CopyOnWriteArrayList<>();
  private final AtomicInteger stoppedWhileRunning = new AtomicInteger();
  private int port;

  private TestNodes(Path dir, List<Spec> specs) {
    this.dir = dir;
    this.specs = List.copyOf(specs);
  }

  /** Starts the nodes; {@code dir} takes known_hosts and the command scripts. */
  static TestNodes start(Path dir, Spec... specs) throws Exception {
    TestNodes nodes = new TestNodes(dir, List.of(specs));
    for (Spec spec : specs) {
      nodes.hostKeys.put(spec.name(), KeyUtils.generateKeyPair("ssh-ed25519", 256));
    }
    nodes.bind();
    Files.writeString(nodes.knownHosts(), nodes.knownHostsLines());
    return nodes;
  }

  /** An address where no node listens: connecting there is refused. */
  static String nowhere() {
    return NET + "250";
  }

  Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** The console's SSH settings for these nodes: password login, short timeouts. */
  SshProperties sshProperties() {
    return new SshProperties("root", port, null, null, PASSWORD, knownHosts(),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20), null);
  }

  /** Every command line the nodes were asked to run, as it arrived. */
  List<String> commandLines() {
    return commandLines;
  }

  /** How many commands were stopped because the client closed their channel while they ran. */
  int stoppedWhileRunning() {
    return stoppedWhileRunning.get();
  }

  @Override
  public void close() throws IOException {
    for (SshServer server : servers) {
      server.stop(true);
    }
  }

  private String knownHostsLines() {
    StringBuilder lines = new StringBuilder();
    for (Spec spec : specs) {
      if (spec.pinned()) {
        lines.append("[").append(spec.ip()).append("]:").append(port).append(' ')
            .append(PublicKeyEntry.toString(hostKeys.get(spec.name()).getPublic())).append('\n');
      }
    }
    return lines.toString();
  }

  /** One port for all nodes; taken by something else on one address, another one is tried. */
  private void bind() throws IOException {
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        for (Spec spec : specs) {
          servers.add(server(spec));
        }
        return;
      } catch (BindException e) {
        close();
        servers.clear();
        if (attempt == PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(specs.get(0).ip()))) {
      return probe.getLocalPort();
    }
  }

  private SshServer server(Spec spec) throws IOException {
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost(spec.ip());
    server.setPort(port);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys.get(spec.name())));
    server.setPasswordAuthenticator((user, password, session) ->
        "root".equals(user) && PASSWORD.equals(password));
    server.setCommandFactory((channel, commandLine) -> command(spec, channel, commandLine));
    CoreModuleProperties.CHANNEL_CLOSE_TIMEOUT.set(server, Duration.ofMillis(300));
    server.start();
    return server;
  }

  private Command command(Spec spec, ChannelSession channel, String commandLine)
      throws IOException {
    commandLines.add(spec.name() + ": " + commandLine);
    Path script = Files.createTempFile(dir, "command-", ".sh");
    Files.writeString(script, "NODE_NAME=" + spec.name() + "; export NODE_NAME\n" + commandLine,
        StandardCharsets.UTF_8);
    // MINA runs the factory's command with /bin/sh -c; the script keeps the line's bytes intact
    String run = "/bin/sh " + script;
    return new Stoppable(new ProcessShellFactory(run, "/bin/sh", script.toString())
        .createShell(channel), script.toString());
  }

  /** A command whose processes are killed, all of them, when its channel closes while it runs. */
  private final class Stoppable implements Command {
    private final Command shell;
    private final String script;

    Stoppable(Command shell, String script) {
      this.shell = shell;
      this.script = script;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      shell.setExitCallback(callback);
    }

    @Override
    public void setInputStream(InputStream in) {
      shell.setInputStream(in);
    }

    @Override
    public void setOutputStream(OutputStream out) {
      shell.setOutputStream(out);
    }

    @Override
    public void setErrorStream(OutputStream err) {
      shell.setErrorStream(err);
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      shell.start(channel, env);
    }

    @Override
    public void destroy(ChannelSession channel) throws Exception {
      Optional<ProcessHandle> running = ProcessHandle.current().children()
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().arguments()
              .map(args -> List.of(args).stream().anyMatch(arg -> arg.contains(script)))
              .orElse(false))
          .findFirst();
      running.ifPresent(process -> {
        stoppedWhileRunning.incrementAndGet();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      });
      shell.destroy(channel);
    }
  }

  /** Whether the process is still running (a zombie waiting to be reaped counts as ended). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
