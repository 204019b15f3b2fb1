package io.lockstep.testing;

import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The engine's side of one step attempt, for executor tests: the params and timeout it gives, and
 * everything the executor tells it, in order — as one log of lines such as {@code out node-1:
 * hello}, {@code action node-1: systemctl stop kubelet}, {@code exit node-1: 0}, {@code info: …},
 * and split into the actions declared and the rest. Undo records are kept in memory with the
 * engine's rules; contexts that share an {@link InMemoryUndoRecords} are attempts of one run.
 */
public class RecordingStepContext implements StepContext {

  private final String step;
  private final Map<String, Object> params;
  private final Duration timeout;
  private final InMemoryUndoRecords undo;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> actions = new CopyOnWriteArrayList<>();
  private final List<String> infos = new CopyOnWriteArrayList<>();
  private final List<io.lockstep.run.StepProgress> progressReports = new CopyOnWriteArrayList<>();
  private final Map<String, Long> figures = new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile io.lockstep.run.StepPreview.Line said;
  private static final org.springframework.context.support.ResourceBundleMessageSource MESSAGES = messages();

  private static org.springframework.context.support.ResourceBundleMessageSource messages() {
    org.springframework.context.support.ResourceBundleMessageSource source =
        new org.springframework.context.support.ResourceBundleMessageSource();
    source.setBasenames("messages-run");
    source.setDefaultEncoding("UTF-8");
    source.setFallbackToSystemLocale(false);
    source.setUseCodeAsDefaultMessage(false);
    return source;
  }

  public RecordingStepContext(String step, Map<String, Object> params, Duration timeout, InMemoryUndoRecords undo) {
    this.step = step;
    this.params = params;
    this.timeout = timeout;
    this.undo = undo;
  }

  @Override
  public String said(io.lockstep.run.StepPreview.Line summary) {
    said = summary;
    return summary.english();
  }

  /** The summary the executor said as a line (issue 14); null when it said none. */
  public io.lockstep.run.StepPreview.Line saidLine() {
    return said;
  }

  /**
   * The summary said as a line, as a reader of {@code locale} reads it: through messages-run, its
   * own key without a fallback to its English (a key missing from the bundle fails).
   */
  public String saidIn(java.util.Locale locale) {
    if (said == null) {
      return null;
    }
    if (said.code() == null) {
      return said.english();
    }
    return MESSAGES.getMessage(said.code(), said.getArguments(), locale);
  }

  /** Everything recorded, in order. */
  public List<String> log() {
    return log;
  }

  /** The lines of one kind: out, err, action, exit or info. */
  public List<String> lines(String kind) {
    return log.stream().filter(line -> line.startsWith(kind + " ") || line.startsWith(kind + ":"))
        .collect(Collectors.toList());
  }

  /** The actions declared, as {@code node: description} or the description alone. */
  public List<String> actions() {
    return actions;
  }

  /** Info lines as written, output as {@code out|err node: line}, exit statuses as {@code exit node: n}. */
  public List<String> infos() {
    return infos;
  }

  public InMemoryUndoRecords records() {
    return undo;
  }

  @Override
  public String runId() {
    return "r-20261125-0007";
  }

  @Override
  public String step() {
    return step;
  }

  @Override
  public Map<String, Object> params() {
    return params;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void out(String node, String line) {
    log.add("out " + node + ": " + line);
    infos.add("out " + node + ": " + line);
  }

  @Override
  public void err(String node, String line) {
    log.add("err " + node + ": " + line);
    infos.add("err " + node + ": " + line);
  }

  @Override
  public void info(String text) {
    log.add("info: " + text);
    infos.add(text);
  }

  @Override
  public void action(String node, String description) {
    log.add("action " + node + ": " + description);
    actions.add(node == null ? description : node + ": " + description);
  }

  @Override
  public void exitStatus(String node, int status) {
    log.add("exit " + node + ": " + status);
    infos.add("exit " + node + ": " + status);
  }

  @Override
  public void progress(io.lockstep.run.StepProgress progress) {
    progressReports.add(progress);
  }

  @Override
  public void figure(String name, long value) {
    figures.put(name, value);
  }

  /** Every progress report, in order. */
  public List<io.lockstep.run.StepProgress> progressReports() {
    return progressReports;
  }

  /** The figures recorded, by name (later ones replace earlier ones). */
  @Override
  public Map<String, Long> figures() {
    return figures;
  }

  @Override
  public UndoRecords undo() {
    return undo;
  }
}
