package io.lockstep.ssh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A command to run on a node, as an argument list: the program and its arguments, each passed to
 * the program exactly as given.
 *
 * <p>SSH carries a single command line that the node's login shell parses, so {@link #toShell()}
 * quotes every argument for a POSIX shell. Whatever an argument holds (spaces, quotes,
 * {@code $(…)}, {@code ;}, backticks) it arrives as one literal argument. Arguments may not
 * contain NUL or line breaks: NUL cannot be passed to a program at all, and a line break would make
 * the command two lines in every log that shows it.
 *
 * <p>Arguments at the positions in {@code secretArguments} (a password given with {@code -p}, say)
 * are sent as they are but shown as {@value #MASK} by {@link #toString()}, which is what logs and
 * exception messages use. Two places outside this module still see them: the node (in its process
 * list, while the command runs) and MINA SSHD's own DEBUG log, which prints command lines; keep
 * {@code logging.level.org.apache.sshd} at INFO or above, as Spring Boot's default does.
 *
 * @param argv the program followed by its arguments; not empty, the program not empty
 * @param secretArguments positions in {@code argv} whose values must not be shown
 */
public record RemoteCommand(List<String> argv, Set<Integer> secretArguments) {

  static final String MASK = "******";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public RemoteCommand {
    Objects.requireNonNull(argv, "argv");
    Objects.requireNonNull(secretArguments, "secretArguments");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a remote command needs at least a program to run");
    }
    for (int i = 0; i < argv.size(); i++) {
      String problem = problemOf(argv.get(i));
      if (problem != null) {
        throw new IllegalArgumentException("argument " + i + " of the " + Shown.value(argv.get(0))
            + " command contains " + problem + "; a remote command is one line of text");
      }
    }
    if (argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("the program of a remote command is empty");
    }
    argv = List.copyOf(argv);
    secretArguments = Set.copyOf(secretArguments);
    for (int position : secretArguments) {
      if (position < 0 || position >= argv.size()) {
        throw new IllegalArgumentException(
            "secret argument position " + position + " is outside the command's arguments");
      }
    }
  }

  /** A command without secret arguments. */
  public RemoteCommand(List<String> argv) {
    this(argv, Set.of());
  }

  /** A command without secrets: {@code RemoteCommand.of("systemctl", "stop", "kubelet")}. */
  public static RemoteCommand of(String... argv) {
    return new RemoteCommand(List.of(argv));
  }

  /** This command with {@code arguments} appended. */
  public RemoteCommand with(String... arguments) {
    List<String> longer = new ArrayList<>(argv);
    longer.addAll(List.of(arguments));
    return new RemoteCommand(longer, secretArguments);
  }

  /** This command with a secret argument appended: sent as it is, shown as {@value #MASK}. */
  public RemoteCommand withSecret(String argument) {
    Set<Integer> secrets = new HashSet<>(secretArguments);
    secrets.add(argv.size());
    return new RemoteCommand(with(argument).argv, secrets);
  }

  /**
   * The command line sent to the node: the arguments joined with spaces, each quoted for a POSIX
   * shell where needed ({@code it's} becomes {@code 'it'\''s'}). Plain words ({@code systemctl},
   * {@code --bwlimit=5000}, {@code root@node-4:/sysvol/a-b_c.d}) stay unquoted for readability;
   * so does an {@code =} in any argument but the program, where the shell would take it for a
   * variable assignment.
   *
   * <p>This line contains the secret arguments; hand it to nothing but the SSH channel.
   */
  public String toShell() {
    return IntStream.range(0, argv.size())
        .mapToObj(i -> quoted(argv.get(i), i == 0))
        .collect(Collectors.joining(" "));
  }

  /** The command line as {@link #toShell()} has it, secret arguments replaced by {@value #MASK}. */
  @Override
  public String toString() {
    return IntStream.range(0, argv.size())
        .mapToObj(i -> secretArguments.contains(i) ? MASK : quoted(argv.get(i), i == 0))
        .collect(Collectors.joining(" "));
  }

  static String quoted(String argument, boolean program) {
    boolean plain = SAFE.matcher(argument).matches() && !(program && argument.contains("="));
    return plain ? argument : "'" + argument.replace("'", "'\\''") + "'";
  }

  private static @Nullable String problemOf(@Nullable String argument) {
    if (argument == null) {
      return "nothing (null)";
    }
    if (argument.indexOf('\0') >= 0) {
      return "a NUL character";
    }
    if (argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0) {
      return "a line break";
    }
    return null;
  }
}
