package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"systemctl", "/sysvol/a-b_c.d", "--bwlimit=5000", "root@node-4:/x",
      "-a", "10%", "a,b", "+x", "1.2.3.4:22"})
  void plainWordsStayUnquoted(String word) {
    assertThat(RemoteCommand.of("cmd", word).toShell()).isEqualTo("cmd " + word);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "it's          | 'it'\\''s'",
      "a b           | 'a b'",
      "EMPTY         | ''",
      "''            | ''\\'''\\'''",
      "$(reboot)     | '$(reboot)'",
      "`id`          | '`id`'",
      "a;b           | 'a;b'",
      "~root         | '~root'",
      "*             | '*'",
      "#x            | '#x'",
      "a\"b          | 'a\"b'",
      "\\            | '\\'",
      "/数据/mysql    | '/数据/mysql'",
  })
  void everythingElseIsSingleQuoted(String argument, String quoted) {
    String arg = argument.equals("EMPTY") ? "" : argument;
    assertThat(RemoteCommand.of("cmd", arg).toShell()).isEqualTo("cmd " + quoted);
  }

  @Test
  void anAssignmentLookingProgramIsQuotedSoTheShellRunsIt() {
    assertThat(RemoteCommand.of("FOO=bar", "x=y").toShell()).isEqualTo("'FOO=bar' x=y");
  }

  @Test
  void rsyncCommandOfP1ReadsLikeTheManualOne() {
    RemoteCommand rsync = RemoteCommand.of("rsync", "-a", "--progress", "--bwlimit=5000",
        "/sysvol/mariadb", "root@node-4:/sysvol");
    assertThat(rsync.toShell())
        .isEqualTo("rsync -a --progress --bwlimit=5000 /sysvol/mariadb root@node-4:/sysvol");
  }

  @Test
  void secretArgumentsAreSentButNeverShown() {
    RemoteCommand apply = RemoteCommand.of("proton-cli", "apply", "-f", "/root/middle.yaml")
        .with("-p").withSecret("pa ss'word");
    assertThat(apply.toShell()).endsWith("-p 'pa ss'\\''word'");
    assertThat(apply.toString())
        .isEqualTo("proton-cli apply -f /root/middle.yaml -p ******")
        .doesNotContain("pa ss");
    assertThat(apply.secretArguments()).containsExactly(5);
  }

  @Test
  void argumentsAreCopiedNotShared() {
    String[] argv = {"echo", "a"};
    RemoteCommand command = new RemoteCommand(Arrays.asList(argv));
    argv[1] = "changed";
    assertThat(command.argv()).containsExactly("echo", "a");
  }

  @Test
  void refusesWhatCannotBeOneLineOfArguments() {
    assertThatThrownBy(() -> new RemoteCommand(List.of()))
        .hasMessage("a remote command needs at least a program to run");
    assertThatThrownBy(() -> RemoteCommand.of("", "x"))
        .hasMessage("the program of a remote command is empty");
    assertThatThrownBy(() -> RemoteCommand.of("echo", "a\nrm -rf /"))
        .hasMessage("argument 1 of the 'echo' command contains a line break; "
            + "a remote command is one line of text");
    assertThatThrownBy(() -> RemoteCommand.of("echo", "ok", "a\rb"))
        .hasMessageContaining("argument 2 of the 'echo' command contains a line break");
    assertThatThrownBy(() -> RemoteCommand.of("echo", "a\0b"))
        .hasMessageContaining("contains a NUL character");
    assertThatThrownBy(() -> new RemoteCommand(Arrays.asList("echo", null)))
        .hasMessageContaining("argument 1 of the 'echo' command contains nothing (null)");
    assertThatThrownBy(() -> new RemoteCommand(List.of("echo"), Set.of(1)))
        .hasMessage("secret argument position 1 is outside the command's arguments");
  }

  @Test
  void aRefusedSecretIsNotEchoedInTheMessage() {
    assertThatThrownBy(() -> RemoteCommand.of("proton-cli", "-p").withSecret("hunter2\n"))
        .hasMessageNotContaining("hunter2");
  }
}
