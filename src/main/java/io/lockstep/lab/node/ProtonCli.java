package io.lockstep.lab.node;

import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabCommandException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * {@code proton-cli get conf} and {@code proton-cli apply -f FILE [-p PASSWORD]} on a master node:
 * the configuration comes from and goes to the lab's cluster ({@link LabCluster}); the file is
 * read from the node's sandbox; apply's progress lines stream as the cluster reports them, and a
 * failure prints proton-cli's message with its exit status.
 */
final class ProtonCli implements NodeCommand {

  private final Sandbox sandbox;
  private final LabCluster cluster;

  ProtonCli(Sandbox sandbox, LabCluster cluster) {
    this.sandbox = sandbox;
    this.cluster = cluster;
  }

  @Override
  public int run(Invocation call) throws IOException {
    List<String> args = call.args();
    if (args.equals(List.of("get", "conf"))) {
      String conf = cluster.protonConf();
      call.out().write((conf.endsWith("\n") ? conf : conf + "\n").getBytes(StandardCharsets.UTF_8));
      return 0;
    }
    if (!args.isEmpty() && args.get(0).equals("apply")) {
      return apply(call, args.subList(1, args.size()));
    }
    call.err("Error: unknown command \"" + String.join(" ", args) + "\" for \"proton-cli\"");
    call.err("Run 'proton-cli --help' for usage.");
    return 1;
  }

  private int apply(Invocation call, List<String> args) throws IOException {
    String file = null;
    Optional<String> password = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      boolean hasValue = i + 1 < args.size();
      if ((arg.equals("-f") || arg.equals("--file")) && hasValue) {
        file = args.get(++i);
      } else if ((arg.equals("-p") || arg.equals("--password")) && hasValue) {
        password = Optional.of(args.get(++i));
      } else {
        call.err("Error: unknown flag: " + arg);
        return 1;
      }
    }
    if (file == null) {
      call.err("Error: required flag(s) \"file\" not set");
      return 1;
    }
    String yaml;
    try {
      yaml = Files.readString(sandbox.resolve(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      call.err("Error: open " + file + ": no such file or directory");
      return 1;
    }
    try {
      cluster.applyProtonConf(yaml, password, line -> {
        try {
          call.out(line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return 0;
    } catch (LabCommandException e) {
      call.err(e.getMessage());
      return e.exitStatus();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
