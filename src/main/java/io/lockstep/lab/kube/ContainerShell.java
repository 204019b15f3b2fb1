package io.lockstep.lab.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The shell of the lab's containers, as far as an exec needs one: {@code sh -c 'SCRIPT' NAME ARG…}
 * where the script is one simple command — optional {@code VAR=value} assignments, an optional
 * {@code exec}, then the program and its words — with single and double quotes, backslashes, and
 * {@code $VAR}, {@code ${VAR}}, {@code $0}…{@code $9} expanded (inside double quotes or bare).
 * Anything more (pipes, lists, redirections, command substitution) is refused with status 2
 * rather than half-run. A command that is not {@code sh -c} runs as it is.
 */
final class ContainerShell {

  private ContainerShell() {}

  static PodExec.Result run(List<String> argv, Map<String, String> env,
      BiFunction<List<String>, Map<String, String>, PodExec.Result> program) {
    String first = argv.get(0);
    if (!(first.equals("sh") || first.equals("/bin/sh") || first.equals("bash") || first.equals("/bin/bash"))) {
      return program.apply(argv, env);
    }
    if (argv.size() < 3 || !argv.get(1).equals("-c")) {
      return PodExec.Result.of(2, first + ": the lab's container shell runs only -c 'COMMAND'");
    }
    List<String> positional = argv.subList(3, argv.size()); // $0, $1, …
    List<String> words;
    try {
      words = words(argv.get(2), env, positional);
    } catch (IllegalArgumentException e) {
      return PodExec.Result.of(2, first + ": 1: " + e.getMessage());
    }
    Map<String, String> environment = new LinkedHashMap<>(env);
    int i = 0;
    while (i < words.size() && words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
      int eq = words.get(i).indexOf('=');
      environment.put(words.get(i).substring(0, eq), words.get(i).substring(eq + 1));
      i++;
    }
    if (i < words.size() && words.get(i).equals("exec")) {
      i++;
    }
    if (i == words.size()) {
      return new PodExec.Result(0, "", "");
    }
    return program.apply(words.subList(i, words.size()), environment);
  }

  /** The script's words, expanded; {@code positional.get(0)} is $0. */
  static List<String> words(String script, Map<String, String> env, List<String> positional) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        i++;
        continue;
      }
      if ("|&;<>()`".indexOf(c) >= 0) {
        throw new IllegalArgumentException("'" + c + "' is more than the lab's container shell runs (one simple"
            + " command)");
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'') {
        int end = script.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("Syntax error: Unterminated quoted string");
        }
        word.append(script, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < script.length() && script.charAt(i) != '"') {
          char d = script.charAt(i);
          if (d == '\\' && i + 1 < script.length() && "$`\"\\".indexOf(script.charAt(i + 1)) >= 0) {
            word.append(script.charAt(i + 1));
            i += 2;
          } else if (d == '$') {
            i = expand(script, i, env, positional, word);
          } else if (d == '`') {
            throw new IllegalArgumentException("'`' is more than the lab's container shell runs (one simple command)");
          } else {
            word.append(d);
            i++;
          }
        }
        if (i >= script.length()) {
          throw new IllegalArgumentException("Syntax error: Unterminated quoted string");
        }
        i++;
      } else if (c == '\\' && i + 1 < script.length()) {
        word.append(script.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        i = expand(script, i, env, positional, word);
      } else {
        word.append(c);
        i++;
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /** Expands the parameter at {@code script[i] == '$'} into {@code word}; answers the index after it. */
  private static int expand(String script, int i, Map<String, String> env, List<String> positional, StringBuilder word) {
    int j = i + 1;
    if (j < script.length() && script.charAt(j) == '(') {
      throw new IllegalArgumentException("'$(' is more than the lab's container shell runs (one simple command)");
    }
    if (j < script.length() && Character.isDigit(script.charAt(j))) {
      int n = script.charAt(j) - '0';
      word.append(n < positional.size() ? positional.get(n) : "");
      return j + 1;
    }
    boolean braced = j < script.length() && script.charAt(j) == '{';
    int start = braced ? j + 1 : j;
    int end = start;
    while (end < script.length() && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
      end++;
    }
    if (end == start) {
      word.append('$');
      return j;
    }
    if (braced && (end >= script.length() || script.charAt(end) != '}')) {
      throw new IllegalArgumentException("Bad substitution");
    }
    word.append(env.getOrDefault(script.substring(start, end), ""));
    return braced ? end + 1 : end;
  }
}
