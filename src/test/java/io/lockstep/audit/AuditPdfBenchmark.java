package io.lockstep.audit;

import io.lockstep.testing.PdfText;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PDF export time for 10,000 audit events (Chinese summaries, the shipped CJK font), cold and then
 * warm: the figure the README reports. Not a test; run it with the classpath of the other
 * benchmarks (README, "Benchmarks"):
 *
 * <pre>
 * java -cp target-bench/test-classes:target-bench/classes:$(cat target-bench/bench.classpath) \
 *     io.lockstep.audit.AuditPdfBenchmark --events=10000 --rounds=3
 * </pre>
 */
public final class AuditPdfBenchmark {

  private AuditPdfBenchmark() {}

  public static void main(String[] args) {
    int events = 10_000;
    int rounds = 3;
    for (String arg : args) {
      if (arg.startsWith("--events=")) {
        events = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring(9));
      }
    }
    List<AuditEntry> entries = new ArrayList<>();
    for (int i = 1; i <= events; i++) {
      entries.add(PdfReportTest.entry(i, i % 2 == 0 ? "op1" : "system", i % 3 == 0 ? "STEP_SUCCEEDED" : "STEP_STARTED",
          "节点 node-" + (i % 6 + 1) + " 上的步骤 " + i + ": systemctl stop proton-app-" + i));
    }
    AuditReport report = PdfReportTest.report(null, entries);
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AnAuditTrail.pdf().write(report, Locale.ENGLISH, out);
      long millis = (System.nanoTime() - start) / 1_000_000;
      int pages = PdfText.of(out.toByteArray()).pages();
      System.out.printf(Locale.ROOT, "PDF of %,d events, round %d%s: %d pages, %,d KiB, %,d ms%n", events, round,
          round == 1 ? " (cold)" : "", pages, out.size() / 1024, millis);
    }
  }
}
