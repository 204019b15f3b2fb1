package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RsyncOptionsTest {

  @Test
  void operandsAreTheArgumentsThatAreNeitherOptionsNorTheirValues() {
    List<String> args = List.of("-a", "--bwlimit", "100", "-B", "1024", "--progress", "src", "--info=progress2",
        "root@node-4:/dst", "--", "-odd");
    assertThat(RsyncOptions.operands(args)).containsExactly(6, 8, 10);
  }

  @Test
  void optionsThatReachOutsideTheSandboxesAreRefused() {
    assertThat(RsyncOptions.refusedClientOption(List.of("-a", "--bwlimit=10", "--checksum", "-n", "-i", "--delete")))
        .isEmpty();
    assertThat(RsyncOptions.refusedClientOption(List.of("-a", "--temp-dir=/tmp"))).contains("--temp-dir");
    assertThat(RsyncOptions.refusedClientOption(List.of("-avze", "ssh"))).contains("-e");
    assertThat(RsyncOptions.refusedClientOption(List.of("-aL"))).contains("-L");
    assertThat(RsyncOptions.refusedClientOption(List.of("-F"))).contains("-F");
    assertThat(RsyncOptions.refusedClientOption(List.of("--rsync-path", "x"))).contains("--rsync-path");
    assertThat(RsyncOptions.refusedClientOption(List.of("-aB1024"))).isEmpty();
  }

  @Test
  void theServerClustersCapabilityLettersAreNotOptions() {
    assertThat(RsyncOptions.refusedServerOption(List.of("--server", "-logDtpre.iLsfxCIvu", "--bwlimit=100"))).isEmpty();
    assertThat(RsyncOptions.refusedServerOption(List.of("--server", "-slogDtpre.iLsfxCIvu"))).contains("-s");
    assertThat(RsyncOptions.refusedServerOption(List.of("--server", "--log-file=/etc/x"))).contains("--log-file");
    assertThat(RsyncOptions.refusedServerOption(List.of("--server", "/etc/passwd"))).contains("/etc/passwd");
  }
}
