package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.datacopy.RsyncOutput.Progress;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** rsync's lines as rsync 3.1–3.4 print them (the lab's rsync prints the same). */
class RsyncOutputTest {

  @Test
  void readsOverallProgressLines() {
    assertThat(RsyncOutput.progress("         32,768   0%    0.00kB/s    0:00:00  "))
        .contains(new Progress(32_768, 0, 0));
    assertThat(RsyncOutput.progress(
        "      2,000,002   6%  187.61MB/s    0:00:00 (xfr#2, to-chk=0/31)"))
        .contains(new Progress(2_000_002, 6, (long) (187.61 * 1024 * 1024)));
    assertThat(RsyncOutput.progress("  1.073.741.824 100%    1,50GB/s    0:00:00 (xfr#9, ir-chk=0/9)"))
        .contains(new Progress(1_073_741_824, 100, (long) (1.5 * 1024 * 1024 * 1024)));
    assertThat(RsyncOutput.progress("  512  50%  1.00kB/s  0:00:01").orElseThrow().impliedTotal())
        .isEqualTo(1024);
    assertThat(RsyncOutput.progress("segment-00001.log")).isEmpty();
    assertThat(RsyncOutput.progress("Total transferred file size: 2,000,002 bytes")).isEmpty();
  }

  @Test
  void readsTheStatistics() {
    assertThat(RsyncOutput.transferredBytes("Total transferred file size: 2,000,002 bytes"))
        .isEqualTo(OptionalLong.of(2_000_002));
    assertThat(RsyncOutput.transferredBytes("Total file size: 30,000,002 bytes")).isEmpty();
    assertThat(RsyncOutput.transferredFiles("Number of regular files transferred: 1,234"))
        .isEqualTo(OptionalLong.of(1234));
    assertThat(RsyncOutput.statistics("sent 2,001,039 bytes  received 57 bytes  4,002,192.00 "
        + "bytes/sec")).isTrue();
    assertThat(RsyncOutput.statistics("total size is 30,000,002  speedup is 14.99")).isTrue();
    assertThat(RsyncOutput.statistics("")).isTrue();
    assertThat(RsyncOutput.statistics("rsync: [sender] send_files failed")).isFalse();
  }

  @Test
  void findsThePathOfAnItemizedChange() {
    assertThat(RsyncOutput.itemizedPath(">fc........ index/00000001.index"))
        .isEqualTo("index/00000001.index");
    assertThat(RsyncOutput.itemizedPath("*deleting   stray.txt")).isEqualTo("stray.txt");
    assertThat(RsyncOutput.itemizedPath(".d..t...... ./")).isEqualTo("./");
  }
}
