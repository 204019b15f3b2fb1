package io.lockstep.lab.node;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The small commands every node has: {@code echo [-n]}, {@code hostname}, {@code uname
 * [-n|-s|-r|-a]}, {@code true}, {@code false}, {@code sleep N[smhd]}.
 */
final class Basics {

  private static final String KERNEL = "5.10.0-136.12.0.86.x86_64";

  private final String hostname;

  Basics(String hostname) {
    this.hostname = hostname;
  }

  int echo(Invocation call) throws IOException {
    List<String> args = call.args();
    boolean newline = args.isEmpty() || !args.get(0).equals("-n");
    String text = String.join(" ", newline ? args : args.subList(1, args.size()));
    call.out().write((newline ? text + "\n" : text).getBytes(StandardCharsets.UTF_8));
    return 0;
  }

  int hostname(Invocation call) throws IOException {
    call.out(hostname);
    return 0;
  }

  int uname(Invocation call) throws IOException {
    String flag = call.args().isEmpty() ? "-s" : call.args().get(0);
    switch (flag) {
      case "-s" -> call.out("Linux");
      case "-n" -> call.out(hostname);
      case "-r" -> call.out(KERNEL);
      case "-m" -> call.out("x86_64");
      case "-a" -> call.out("Linux " + hostname + " " + KERNEL + " #1 SMP x86_64 x86_64 x86_64 GNU/Linux");
      default -> {
        return call.fail(1, "invalid option -- '" + flag.replace("-", "") + "'");
      }
    }
    return 0;
  }

  int sleep(Invocation call) throws IOException, InterruptedException {
    if (call.args().isEmpty()) {
      return call.fail(1, "missing operand");
    }
    long millis = 0;
    for (String arg : call.args()) {
      try {
        millis += millis(arg);
      } catch (NumberFormatException e) {
        return call.fail(1, "invalid time interval '" + arg + "'");
      }
    }
    Thread.sleep(millis);
    return 0;
  }

  /** An interval as {@code sleep} and {@code timeout} take it ({@code 10}, {@code 0.5s}, {@code 2m}), in ms. */
  static long millis(String interval) {
    char suffix = interval.isEmpty() ? ' ' : interval.charAt(interval.length() - 1);
    long factor = switch (suffix) {
      case 'm' -> 60_000;
      case 'h' -> 3_600_000;
      case 'd' -> 86_400_000;
      default -> 1000;
    };
    String number = "smhd".indexOf(suffix) >= 0 ? interval.substring(0, interval.length() - 1) : interval;
    BigDecimal value = new BigDecimal(number);
    if (value.signum() < 0) {
      throw new NumberFormatException(interval);
    }
    return value.multiply(BigDecimal.valueOf(factor)).longValue();
  }
}
