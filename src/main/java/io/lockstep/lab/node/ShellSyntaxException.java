package io.lockstep.lab.node;

/** A command line the lab shell cannot run: bad syntax or an unsupported feature (exit status 2). */
final class ShellSyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  ShellSyntaxException(String message) {
    super(message);
  }
}
