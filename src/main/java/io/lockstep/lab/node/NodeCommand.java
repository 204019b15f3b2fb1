package io.lockstep.lab.node;

import java.io.IOException;

/**
 * A command a lab node offers. It prints as the real tool does and returns the real tool's exit
 * status. It may throw {@link SandboxException} for a path that leaves the node (the shell prints
 * it and returns 1); it must stop promptly when its thread is interrupted (the SSH channel closed).
 */
@FunctionalInterface
public interface NodeCommand {

  int run(Invocation call) throws IOException, InterruptedException;
}
