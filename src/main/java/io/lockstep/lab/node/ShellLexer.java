package io.lockstep.lab.node;

import io.lockstep.lab.node.Script.Redirect;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words (quotes and escapes removed), operators ({@code ; && ||}) and
 * redirections, for {@link ShellParser}. Refuses what the lab shell does not support (see there)
 * with a {@link ShellSyntaxException}.
 */
final class ShellLexer {

  private static final String OPERATOR_CHARS = ";&|<>()";

  enum Type { WORD, OPERATOR, REDIRECT }

  record Token(Type type, String text, Redirect redirect) {}

  private final String s;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  ShellLexer(String s) {
    this.s = s;
  }

  List<Token> tokens() throws ShellSyntaxException {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\n') {
        pos++;
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).type() != Type.OPERATOR) {
          tokens.add(new Token(Type.OPERATOR, ";", null));
        }
      } else if (c == '#') {
        while (pos < s.length() && s.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
        pos += 2;
      } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
        operator(-2);
      } else {
        word();
      }
    }
    return tokens;
  }

  private void word() throws ShellSyntaxException {
    StringBuilder text = new StringBuilder();
    boolean quoted = false;
    if (s.charAt(pos) == '~' && (pos + 1 == s.length() || s.charAt(pos + 1) == '/' || ends(pos + 1))) {
      text.append(Sandbox.HOME);
      pos++;
    }
    while (pos < s.length() && !ends(pos)) {
      char c = s.charAt(pos);
      switch (c) {
        case '\'' -> {
          int close = s.indexOf('\'', pos + 1);
          if (close < 0) {
            throw new ShellSyntaxException("bash: -c: line 1: unexpected EOF while looking for matching `''");
          }
          text.append(s, pos + 1, close);
          pos = close + 1;
          quoted = true;
        }
        case '"' -> {
          doubleQuoted(text);
          quoted = true;
        }
        case '\\' -> {
          if (pos + 1 < s.length()) {
            if (s.charAt(pos + 1) != '\n') {
              text.append(s.charAt(pos + 1));
            }
            pos += 2;
            quoted = true;
          } else {
            text.append(c);
            pos++;
          }
        }
        case '$' -> {
          refuseSubstitution();
          text.append(c);
          pos++;
        }
        case '`' -> throw backtick();
        default -> {
          text.append(c);
          pos++;
        }
      }
    }
    boolean fdNumber = !quoted && !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    if (fdNumber && pos < s.length() && (s.charAt(pos) == '>' || s.charAt(pos) == '<')) {
      operator(Integer.parseInt(text.toString()));
      return;
    }
    tokens.add(new Token(Type.WORD, text.toString(), null));
  }

  private void doubleQuoted(StringBuilder text) throws ShellSyntaxException {
    pos++;
    while (true) {
      if (pos >= s.length()) {
        throw new ShellSyntaxException("bash: -c: line 1: unexpected EOF while looking for matching `\"'");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\' && pos + 1 < s.length() && "\"\\$`\n".indexOf(s.charAt(pos + 1)) >= 0) {
        if (s.charAt(pos + 1) != '\n') {
          text.append(s.charAt(pos + 1));
        }
        pos += 2;
        continue;
      }
      if (c == '$') {
        refuseSubstitution();
      }
      if (c == '`') {
        throw backtick();
      }
      text.append(c);
      pos++;
    }
  }

  /** {@code $} followed by a name, a special parameter, {@code {} or {@code (} would expand. */
  private void refuseSubstitution() throws ShellSyntaxException {
    if (pos + 1 < s.length()) {
      char next = s.charAt(pos + 1);
      if (Character.isLetterOrDigit(next) || "_{(@*#?$!-".indexOf(next) >= 0) {
        throw new ShellSyntaxException(
            "lab shell: variable and command substitution ($…) are not supported");
      }
    }
  }

  private static ShellSyntaxException backtick() {
    return new ShellSyntaxException("lab shell: command substitution (`…`) is not supported");
  }

  private boolean ends(int at) {
    if (at >= s.length()) {
      return true;
    }
    char c = s.charAt(at);
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || OPERATOR_CHARS.indexOf(c) >= 0;
  }

  /** An operator or redirection at {@code pos}; {@code fd} is a number written before it or -2. */
  private void operator(int fd) throws ShellSyntaxException {
    String rest = s.substring(pos);
    if (rest.startsWith("&&") || rest.startsWith("||")) {
      emit(rest.substring(0, 2), 2);
    } else if (rest.startsWith(";;")) {
      throw new ShellSyntaxException("bash: -c: line 1: syntax error near unexpected token `;;'");
    } else if (rest.startsWith(";")) {
      emit(";", 1);
    } else if (rest.startsWith("|")) {
      throw new ShellSyntaxException("lab shell: pipes are not supported");
    } else if (rest.startsWith("&>>")) {
      redirect(Redirect.BOTH, Redirect.Kind.APPEND, 3);
    } else if (rest.startsWith("&>")) {
      redirect(Redirect.BOTH, Redirect.Kind.WRITE, 2);
    } else if (rest.startsWith("&")) {
      throw new ShellSyntaxException("lab shell: background jobs (&) are not supported");
    } else if (rest.startsWith("(") || rest.startsWith(")")) {
      throw new ShellSyntaxException("lab shell: subshells are not supported");
    } else if (rest.startsWith("<<")) {
      throw new ShellSyntaxException("lab shell: here-documents are not supported");
    } else if (rest.startsWith("<")) {
      redirect(fd < 0 ? 0 : fd, Redirect.Kind.READ, 1);
    } else if (rest.startsWith(">&")) {
      duplicate(fd < 0 ? 1 : fd);
    } else if (rest.startsWith(">>")) {
      redirect(fd < 0 ? 1 : fd, Redirect.Kind.APPEND, 2);
    } else {
      redirect(fd < 0 ? 1 : fd, Redirect.Kind.WRITE, rest.startsWith(">|") ? 2 : 1);
    }
  }

  private void emit(String operator, int length) {
    tokens.add(new Token(Type.OPERATOR, operator, null));
    pos += length;
  }

  private void redirect(int fd, Redirect.Kind kind, int length) {
    tokens.add(new Token(Type.REDIRECT, s.substring(pos, pos + length), new Redirect(fd, kind, null, 0)));
    pos += length;
  }

  private void duplicate(int fd) throws ShellSyntaxException {
    pos += 2;
    int start = pos;
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    if (start == pos || !ends(pos)) {
      throw new ShellSyntaxException("lab shell: only N>&M is supported for >&");
    }
    int toFd = Integer.parseInt(s.substring(start, pos));
    tokens.add(new Token(Type.REDIRECT, ">&", new Redirect(fd, Redirect.Kind.DUPLICATE, null, toFd)));
  }
}
