package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The diff an approver reads: diff -u's format, changes with three lines of context. */
class UnifiedDiffTest {

  static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(UnifiedDiff.of("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
  }

  @Test
  void aChangeIsShownWithThreeLinesOfContextAsDiffDoes() {
    String before = lines(1, 10);
    String after = before.replace("line 5\n", "line five\n");

    assertThat(UnifiedDiff.of("old", "new", before, after)).isEqualTo("""
        --- old
        +++ new
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8
        """);
  }

  @Test
  void distantChangesAreSeparateHunksAndNearOnesOne() {
    // what GNU diff -u prints for the same texts
    String before = lines(1, 30);
    String after = before.replace("line 2\n", "").replace("line 20\n", "line 20\nline 20a\n")
        .replace("line 24\n", "line 24!\n");

    assertThat(UnifiedDiff.of("old", "new", before, after)).isEqualTo("""
        --- old
        +++ new
        @@ -1,5 +1,4 @@
         line 1
        -line 2
         line 3
         line 4
         line 5
        @@ -18,10 +17,11 @@
         line 18
         line 19
         line 20
        +line 20a
         line 21
         line 22
         line 23
        -line 24
        +line 24!
         line 25
         line 26
         line 27
        """);
  }

  @Test
  void addingToAnEmptyTextStartsAtLineZero() {
    assertThat(UnifiedDiff.of("old", "new", "", "a\n")).isEqualTo("--- old\n+++ new\n@@ -0,0 +1,1 @@\n+a\n");
  }
}
