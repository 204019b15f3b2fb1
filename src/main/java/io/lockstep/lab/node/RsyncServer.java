package io.lockstep.lab.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remote end of an rsync transfer: {@code rsync --server [--sender] OPTIONS . PATH…} as the
 * rsync client on another node (or the console) sends it through SSH. The real rsync runs in
 * server mode with the path arguments (those after the {@code .} argument) mapped into this
 * node's sandbox, its standard streams joined to the channel byte for byte.
 */
final class RsyncServer {

  private final String rsyncBinary;
  private final Sandbox sandbox;

  RsyncServer(String rsyncBinary, Sandbox sandbox) {
    this.rsyncBinary = rsyncBinary;
    this.sandbox = sandbox;
  }

  int run(Invocation call) throws IOException, InterruptedException {
    List<String> args = call.args();
    int dot = args.indexOf(".");
    if (args.contains("--daemon") || dot < 0) {
      call.err("rsync: the lab accepts rsync --server only as an ssh transfer (OPTIONS . PATH…)");
      return 1;
    }
    Optional<String> refused = RsyncOptions.refusedServerOption(args.subList(0, dot));
    if (refused.isPresent()) {
      call.err("rsync: option " + refused.get() + " is not available in the lab");
      return 1;
    }
    List<String> command = new ArrayList<>();
    command.add(rsyncBinary);
    command.addAll(args.subList(0, dot + 1));
    for (String path : args.subList(dot + 1, args.size())) {
      command.add(sandbox.argument(path));
    }
    Map<String, String> env = Map.of("HOME", sandbox.resolve(Sandbox.HOME).toString());
    try {
      return new ExternalProcess(command, sandbox.resolve(Sandbox.HOME), env)
          .run(call.in(), call.out(), call.err(), null);
    } finally {
      sandbox.changed();
    }
  }
}
