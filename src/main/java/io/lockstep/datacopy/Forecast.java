package io.lockstep.datacopy;

import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The forecast a {@code measure} step makes for the phase of the final copy ({@code forecast_for}),
 * which the run page's maintenance-window clock shows while that phase is to come or runs. The
 * phase is that same measure, then the final copy with its checksum verification, so the forecast
 * is the sum of three parts:
 *
 * <ol>
 *   <li><b>measuring</b>: as long as this measure took (its dry runs compare the trees: every
 *       file's size and time on both nodes);</li>
 *   <li><b>copying</b>: the same comparison again (the final rsync walks the trees as the dry run
 *       did) plus the bytes changed since the pre-copy, at the rate this run's pre-copy moved that
 *       row;</li>
 *   <li><b>verifying</b>: every byte of the source, at the pre-copy's rate too, because the checksum
 *       comparison reads every byte on both nodes as the pre-copy read and wrote them; or, when
 *       this run has verified the row before, as long as that took.</li>
 * </ol>
 *
 * <p>A pair's rows run one after the other, the pairs at once (unless {@code parallel: false}), so
 * the slowest pair counts, in the measure step and in the copy step each. Rows without pre-copy
 * figures contribute their measuring and comparing only, and the log names them. A pre-copy held
 * to a bandwidth limit gives a slow rate, and the final copy has no limit: the log says then that
 * the copying and verifying parts are upper bounds.
 *
 * <p>Figures recorded: {@code forecast.<phase>.millis}, the total, which the window clock reads,
 * and its parts {@code forecast.<phase>.measure.millis}, {@code .copy.millis} and {@code
 * .verify.millis} (the slowest pair's of each step), which add up to it.
 */
final class Forecast {

  private final StepContext context;
  private final CopyParams params;
  private final Map<String, Long> figures;

  Forecast(StepContext context, CopyParams params) {
    this.context = context;
    this.params = params;
    this.figures = context.figures();
  }

  /** One pair's (or the whole phase's) parts, in milliseconds, with the bytes behind them. */
  private record Parts(long measure, long copy, long verify, long changed, long size) {

    static final Parts NONE = new Parts(0, 0, 0, 0, 0);

    Parts plus(Parts o) {
      return new Parts(measure + o.measure, copy + o.copy, verify + o.verify, changed + o.changed,
          size + o.size);
    }
  }

  /** Records the forecast from this measure's outcomes and says in the log what it is made of. */
  void record(Map<String, List<CopyRow>> pairs, List<RowCopy.Outcome> outcomes) {
    TreeSet<String> unknown = new TreeSet<>();
    TreeSet<String> verified = new TreeSet<>();
    TreeSet<String> limited = new TreeSet<>();
    String slowestPair = "";
    Parts slowest = Parts.NONE;
    Parts all = Parts.NONE;
    long measureStep = 0;
    for (Map.Entry<String, List<CopyRow>> pair : pairs.entrySet()) {
      Parts parts = Parts.NONE;
      for (CopyRow row : pair.getValue()) {
        RowCopy.Outcome measured = outcomes.stream().filter(o -> o.row().equals(row)).findFirst()
            .orElseThrow();
        parts = parts.plus(row(row, measured, unknown, verified, limited));
      }
      all = all.plus(parts);
      measureStep = Math.max(measureStep, parts.measure());
      if (slowestPair.isEmpty() || parts.copy() + parts.verify() > slowest.copy() + slowest.verify()) {
        slowest = parts;
        slowestPair = pair.getKey();
      }
    }
    Parts counted = params.parallel() ? new Parts(measureStep, slowest.copy(), slowest.verify(),
        slowest.changed(), slowest.size()) : all;
    long total = counted.measure() + counted.copy() + counted.verify();
    String phase = "forecast." + params.forecastFor();
    context.figure(phase + ".millis", total);
    context.figure(phase + ".measure.millis", counted.measure());
    context.figure(phase + ".copy.millis", counted.copy());
    context.figure(phase + ".verify.millis", counted.verify());
    context.info(described(counted, total, pairs.size(), slowestPair, unknown, verified, limited));
  }

  /** One row's parts; notes rows without pre-copy figures, verified before, or limited. */
  private Parts row(CopyRow row, RowCopy.Outcome measured, TreeSet<String> unknown,
      TreeSet<String> verified, TreeSet<String> limited) {
    long measure = measured.took().toMillis();
    Long copied = figures.get("copy.pre." + row.key() + ".bytes");
    Long millis = figures.get("copy.pre." + row.key() + ".millis");
    Long verify = figures.get("copy.verify." + row.key() + ".millis");
    boolean rated = copied != null && millis != null && copied > 0 && millis > 0;
    if (!rated) {
      unknown.add(row.key());
    } else if (figures.getOrDefault("copy.pre." + row.key() + ".bwlimit", 0L) > 0) {
      limited.add(row.key());
    }
    if (verify != null) {
      verified.add(row.key());
    }
    long transfer = rated ? Math.round((double) measured.bytes() * millis / copied) : 0;
    long check = verify != null ? verify : rated ? Math.round((double) measured.size() * millis / copied) : 0;
    return new Parts(measure, measure + transfer, check, measured.bytes(), measured.size());
  }

  private String described(Parts counted, long total, int pairs, String slowestPair,
      TreeSet<String> unknown, TreeSet<String> verified, TreeSet<String> limited) {
    List<String> notes = new ArrayList<>();
    if (!unknown.isEmpty()) {
      notes.add("no pre-copy figures for " + String.join(", ", unknown)
          + ": only their measuring and comparing are counted");
    }
    if (!verified.isEmpty()) {
      notes.add("verifying " + String.join(", ", verified) + " as long as this run's last "
          + "verification of it took");
    }
    if (!limited.isEmpty()) {
      notes.add("the pre-copy of " + String.join(", ", limited) + " was held to a bandwidth limit "
          + "and the final copy is not: copying and verifying are upper bounds");
    }
    return "forecast of phase " + params.forecastFor() + ": about " + shown(total) + " = measuring "
        + shown(counted.measure()) + " (as long as this measure took) + copying "
        + shown(counted.copy()) + " (comparing the trees as this measure did, then moving the "
        + Bytes.shown(counted.changed()) + " changed at the pre-copy's rate) + verifying by "
        + "checksum " + shown(counted.verify()) + " (reading all " + Bytes.shown(counted.size())
        + " on both nodes, at the pre-copy's rate)"
        + (pairs > 1 && params.parallel() ? "; node pairs run at once: the slowest in each step "
            + "counts (copying and verifying: " + slowestPair + ")" : "")
        + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
  }

  private static String shown(long millis) {
    return Bytes.longTime(Duration.ofMillis(millis));
  }
}
