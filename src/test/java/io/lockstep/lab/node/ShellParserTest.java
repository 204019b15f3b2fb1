package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lab.node.Script.Connector;
import io.lockstep.lab.node.Script.Redirect;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellParserTest {

  private final ShellParser parser = new ShellParser();

  private List<String> words(String line) throws ShellSyntaxException {
    Script script = parser.parse(line);
    assertThat(script.steps()).hasSize(1);
    return script.steps().get(0).command().words();
  }

  @Test
  void quotesAndEscapesAreRemovedAsAShellWould() throws Exception {
    assertThat(words("echo 'a b' \"c\\\"d\"")).containsExactly("echo", "a b", "c\"d");
    assertThat(words("echo a\\ b \"\\\\ \\$x\" 'it''s' ''")).containsExactly("echo", "a b", "\\ $x", "its", "");
    assertThat(words("echo \"keep \\n\" x\\\ny")).containsExactly("echo", "keep \\n", "xy");
    assertThat(words("ls ~/x ~ a~")).containsExactly("ls", "/root/x", "/root", "a~");
    assertThat(words("ls * ? [a] # comment")).containsExactly("ls", "*", "?", "[a]");
  }

  @Test
  void listsKeepTheirConnectors() throws Exception {
    Script script = parser.parse("true && echo a || echo b; echo c\necho d");
    assertThat(script.steps()).extracting(Script.Step::connector)
        .containsExactly(Connector.ALWAYS, Connector.AND, Connector.OR, Connector.ALWAYS, Connector.ALWAYS);
  }

  @Test
  void redirectionsAreReadInOrder() throws Exception {
    Script.Command command = parser.parse("proton-cli get conf > /root/m.yaml 2>&1 2>/dev/null >>log").steps().get(0).command();
    assertThat(command.words()).containsExactly("proton-cli", "get", "conf");
    assertThat(command.redirects()).containsExactly(
        new Redirect(1, Redirect.Kind.WRITE, "/root/m.yaml", 0),
        new Redirect(2, Redirect.Kind.DUPLICATE, null, 1),
        new Redirect(2, Redirect.Kind.WRITE, "/dev/null", 0),
        new Redirect(1, Redirect.Kind.APPEND, "log", 0));
    assertThat(words("echo 2 >x")).containsExactly("echo", "2");
  }

  @Test
  void unsupportedShellFeaturesAreRefusedNotMisread() {
    assertThatThrownBy(() -> parser.parse("ls | wc -l")).hasMessage("lab shell: pipes are not supported");
    assertThatThrownBy(() -> parser.parse("sleep 1 &")).hasMessageContaining("background");
    assertThatThrownBy(() -> parser.parse("test -z \"$(ls -A /x)\"")).hasMessageContaining("substitution");
    assertThatThrownBy(() -> parser.parse("echo $HOME")).hasMessageContaining("substitution");
    assertThatThrownBy(() -> parser.parse("echo `id`")).hasMessageContaining("substitution");
    assertThatThrownBy(() -> parser.parse("(cd /; ls)")).hasMessageContaining("subshells");
    assertThatThrownBy(() -> parser.parse("cat <<EOF")).hasMessageContaining("here-documents");
  }

  @Test
  void syntaxErrorsReadLikeBash() {
    assertThatThrownBy(() -> parser.parse("&& ls")).hasMessageContaining("syntax error near unexpected token `&&'");
    assertThatThrownBy(() -> parser.parse("ls &&")).hasMessageContaining("unexpected end of file");
    assertThatThrownBy(() -> parser.parse("echo 'open")).hasMessageContaining("unexpected EOF");
    assertThatThrownBy(() -> parser.parse("echo >")).hasMessageContaining("`newline'");
  }

  @Test
  void aLoneDollarIsLiteral() throws Exception {
    assertThat(words("echo 5$ '$HOME'")).containsExactly("echo", "5$", "$HOME");
  }
}
