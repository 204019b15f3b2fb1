package io.lockstep.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A real SSH server on 127.0.0.1 for the tests: an ed25519 host key made for it, user {@code root}
 * logging in with {@link #PASSWORD} or the one authorized key, and commands run like sshd runs
 * them, by {@code /bin/sh} (the command line is handed over in a file, so its bytes reach the shell
 * unchanged whatever the JVM's locale). One built-in command, {@code hang [words]}, prints its
 * words and never ends; the server counts how often it had to stop one. Use it rather than a
 * {@code sleep} that would outlive the test.
 */
final class TestSshServer implements AutoCloseable {

  static final String USER = "root";
  static final String PASSWORD = "Tr0ub4dor&3-never-logged";

  private final SshServer server;
  private final KeyPair hostKey;
  private final Path scripts;
  private final List<String> commandLines = new CopyOnWriteArrayList<>();
  private final AtomicInteger hangsStopped = new AtomicInteger();
  private final AtomicInteger sessionsOpened = new AtomicInteger();

  private TestSshServer(KeyPair hostKey, PublicKey authorizedKey, Path scripts) throws IOException {
    this.hostKey = hostKey;
    this.scripts = scripts;
    this.server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator((user, password, session) ->
        USER.equals(user) && PASSWORD.equals(password));
    server.setPublickeyAuthenticator((user, key, session) ->
        USER.equals(user) && KeyUtils.compareKeys(authorizedKey, key));
    server.setCommandFactory((channel, commandLine) -> command(channel, commandLine));
    // a command still running when the client closes its channel is stopped after this grace time
    CoreModuleProperties.CHANNEL_CLOSE_TIMEOUT.set(server, Duration.ofMillis(300));
    server.addSessionListener(new SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        sessionsOpened.incrementAndGet();
      }
    });
    server.start();
  }

  /** A server with a fresh ed25519 host key that lets in {@code authorizedKey} and the password. */
  static TestSshServer start(PublicKey authorizedKey, Path workDir) throws Exception {
    return new TestSshServer(KeyUtils.generateKeyPair("ssh-ed25519", 256), authorizedKey, workDir);
  }

  int port() {
    return server.getPort();
  }

  SshTarget target(String node) {
    return new SshTarget(node, "127.0.0.1", port());
  }

  PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** The known_hosts line that pins this server's key, as OpenSSH writes it for a port not 22. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey());
  }

  Path writeKnownHosts(Path file) throws IOException {
    return Files.writeString(file, knownHostsLine() + "\n");
  }

  /** Every command line the server was asked to run, as it arrived. */
  List<String> commandLines() {
    return commandLines;
  }

  int hangsStopped() {
    return hangsStopped.get();
  }

  int sessionsOpened() {
    return sessionsOpened.get();
  }

  /** Cuts every connection from the server's side, as a rebooting node would, and waits for it. */
  void dropConnections() {
    server.getActiveSessions().forEach(session -> session.close(true).awaitUninterruptibly(5000));
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  private Command command(ChannelSession channel, String commandLine) throws IOException {
    commandLines.add(commandLine);
    if (commandLine.equals("hang") || commandLine.startsWith("hang ")) {
      return new Hang(commandLine.substring("hang".length()).trim());
    }
    Path script = Files.createTempFile(scripts, "command-", ".sh");
    Files.write(script, commandLine.getBytes(StandardCharsets.UTF_8));
    return new ProcessShellFactory(commandLine, "/bin/sh", script.toString()).createShell(channel);
  }

  /**
   * Prints its arguments as one line, then runs until the server stops it, which happens when the
   * client closes the channel.
   */
  private final class Hang implements Command {
    private final String greeting;
    private OutputStream out = OutputStream.nullOutputStream();

    Hang(String greeting) {
      this.greeting = greeting;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {}

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      if (!greeting.isEmpty()) {
        out.write((greeting + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      hangsStopped.incrementAndGet();
    }
  }
}
