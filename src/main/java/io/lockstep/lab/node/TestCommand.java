package io.lockstep.lab.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code test EXPRESSION} and {@code [ EXPRESSION ]}: the file tests {@code -e -f -d -s -r -w -x
 * -L}, the string tests {@code -z -n = !=}, integer comparisons and {@code !}. Exit 0 for true, 1
 * for false, 2 for a malformed expression.
 */
final class TestCommand implements NodeCommand {

  private final Sandbox sandbox;

  TestCommand(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  @Override
  public int run(Invocation call) throws IOException {
    List<String> args = call.args();
    if (call.name().equals("[")) {
      if (args.isEmpty() || !args.get(args.size() - 1).equals("]")) {
        return call.fail(2, "missing `]'");
      }
      args = args.subList(0, args.size() - 1);
    }
    try {
      return evaluate(args) ? 0 : 1;
    } catch (IllegalArgumentException e) {
      return call.fail(2, e.getMessage());
    }
  }

  private boolean evaluate(List<String> a) {
    if (!a.isEmpty() && a.get(0).equals("!") && a.size() > 1) {
      return !evaluate(a.subList(1, a.size()));
    }
    return switch (a.size()) {
      case 0 -> false;
      case 1 -> !a.get(0).isEmpty();
      case 2 -> unary(a.get(0), a.get(1));
      case 3 -> binary(a.get(0), a.get(1), a.get(2));
      default -> throw new IllegalArgumentException("too many arguments");
    };
  }

  private boolean unary(String op, String operand) {
    if (op.equals("-z") || op.equals("-n")) {
      return operand.isEmpty() == op.equals("-z");
    }
    if (!op.matches("-[efdsrwxLh]")) {
      throw new IllegalArgumentException(op + ": unary operator expected");
    }
    Path path = sandbox.resolve(operand);
    try {
      return switch (op) {
        case "-e", "-r", "-w" -> Files.exists(path);
        case "-f" -> Files.isRegularFile(path);
        case "-d" -> Files.isDirectory(path);
        case "-s" -> Files.exists(path) && Files.size(path) > 0;
        case "-x" -> Files.isExecutable(path);
        default -> Files.isSymbolicLink(path);
      };
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean binary(String left, String op, String right) {
    return switch (op) {
      case "=", "==" -> left.equals(right);
      case "!=" -> !left.equals(right);
      case "-eq", "-ne", "-lt", "-le", "-gt", "-ge" -> compare(left, op, right);
      default -> throw new IllegalArgumentException(op + ": binary operator expected");
    };
  }

  private static boolean compare(String left, String op, String right) {
    long l;
    long r;
    try {
      l = Long.parseLong(left.trim());
      r = Long.parseLong(right.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("integer expression expected");
    }
    return switch (op) {
      case "-eq" -> l == r;
      case "-ne" -> l != r;
      case "-lt" -> l < r;
      case "-le" -> l <= r;
      case "-gt" -> l > r;
      default -> l >= r;
    };
  }
}
