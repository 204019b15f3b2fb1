package io.lockstep.lab.node;

import io.lockstep.lab.node.Script.Command;
import io.lockstep.lab.node.Script.Connector;
import io.lockstep.lab.node.Script.Redirect;
import io.lockstep.lab.node.Script.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a command line the way a POSIX shell would, for the subset the procedures use.
 *
 * <p>Supported: words with single quotes, double quotes (in which {@code \" \\ \$ \`} are
 * escapes), backslash escapes and line continuations; a leading {@code ~} as {@code /root};
 * {@code ;} (and newlines), {@code &&}, {@code ||}; redirections {@code >}, {@code >>},
 * {@code <}, {@code N>}, {@code N>>}, {@code N>&M}, {@code &>}, {@code &>>}; {@code #}
 * comments.
 *
 * <p>Not supported, and refused with exit status 2 rather than silently misread: pipes, background
 * jobs, subshells, here-documents, variable/command substitution ({@code $NAME}, {@code ${…}},
 * {@code $(…)}, backticks). There is no globbing: {@code * ? [} are literal characters, which is
 * what bash does with a pattern that matches nothing.
 */
final class ShellParser {

  Script parse(String line) throws ShellSyntaxException {
    List<Step> steps = new ArrayList<>();
    List<String> words = new ArrayList<>();
    List<Redirect> redirects = new ArrayList<>();
    Connector connector = Connector.ALWAYS;
    List<ShellLexer.Token> tokens = new ShellLexer(line).tokens();
    for (int i = 0; i < tokens.size(); i++) {
      ShellLexer.Token token = tokens.get(i);
      switch (token.type()) {
        case WORD -> words.add(token.text());
        case REDIRECT -> {
          Redirect redirect = token.redirect();
          if (redirect.kind() != Redirect.Kind.DUPLICATE) {
            if (i + 1 >= tokens.size() || tokens.get(i + 1).type() != ShellLexer.Type.WORD) {
              throw unexpected(i + 1 < tokens.size() ? tokens.get(i + 1).text() : "newline");
            }
            redirect = new Redirect(redirect.fd(), redirect.kind(), tokens.get(++i).text(), 0);
          }
          redirects.add(redirect);
        }
        case OPERATOR -> {
          if (words.isEmpty() && redirects.isEmpty()) {
            throw unexpected(token.text());
          }
          steps.add(new Step(connector, new Command(words, redirects)));
          words = new ArrayList<>();
          redirects = new ArrayList<>();
          connector = switch (token.text()) {
            case "&&" -> Connector.AND;
            case "||" -> Connector.OR;
            default -> Connector.ALWAYS;
          };
        }
      }
    }
    if (!words.isEmpty() || !redirects.isEmpty()) {
      steps.add(new Step(connector, new Command(words, redirects)));
    } else if (connector != Connector.ALWAYS) {
      throw new ShellSyntaxException("bash: -c: line 1: syntax error: unexpected end of file");
    }
    return new Script(steps);
  }

  private static ShellSyntaxException unexpected(String token) {
    return new ShellSyntaxException("bash: -c: line 1: syntax error near unexpected token `" + token + "'");
  }
}
