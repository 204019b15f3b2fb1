package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code kosmos.query}: proves the database answers where the replicas went. In every member
 * cluster the plan places a replica in, the {@code mysql} client in that replica's container runs
 * the plan's statement against the primary's Service as the member imports it — {@code kubectl
 * exec -n NS POD -c mysql -- mysql --host=SERVICE --port=PORT …}, so the member's DNS and the MCS
 * import are what carry it. The password is the container's own {@code MYSQL_ROOT_PASSWORD} (the
 * operator sets it from the cluster's Secret): the console never reads, passes or logs it. The
 * answer of each member goes to the run log and, in the step's summary, to the audit trail. Fails,
 * naming each member, when no Ready replica runs there, the member has no such Service, or the
 * client fails (its {@code ERROR …} line is logged and named).
 */
@Component
class KosmosQuery implements StepExecutor {

  static final String TYPE = "kosmos.query";
  static final String CONTAINER = "mysql";
  static final String DEFAULT_QUERY = "SELECT @@hostname";
  private static final Pattern READ_ONLY = Pattern.compile("(?is)\\s*(SELECT|SHOW)\\s.*");
  /**
   * What a SELECT or SHOW may still do besides reading: write a file or a variable ({@code INTO}),
   * take row locks ({@code FOR UPDATE}, {@code LOCK IN SHARE MODE}), hold a named lock or the
   * server ({@code GET_LOCK}, {@code SLEEP}, {@code BENCHMARK}), read the server's files
   * ({@code LOAD_FILE}); and comments, since {@code /*! … *}{@code /} runs its text in MySQL. Matched
   * anywhere, string literals included: a statement that proves the database answers needs none.
   */
  private static final Pattern SIDE_EFFECT = Pattern.compile("(?i)/\\*|\\*/|--|#|\\bINTO\\b|\\bFOR\\s+UPDATE\\b"
      + "|\\bLOCK\\s+IN\\b|\\bFOR\\s+SHARE\\b|\\b(GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_FREE_LOCK|IS_USED_LOCK"
      + "|SLEEP|BENCHMARK|LOAD_FILE|MASTER_POS_WAIT|MASTER_GTID_WAIT|WAIT_FOR_EXECUTED_GTID_SET|SOURCE_POS_WAIT"
      + "|NEXTVAL|SETVAL|LASTVAL)\\b|\\bNEXT\\s+VALUE\\b");
  /** How long the server lets the statement run, in seconds (MariaDB's max_statement_time, MySQL's max_execution_time). */
  static final int STATEMENT_SECONDS = 30;
  /** The most lines of an answer that go to the log; the rest are counted. */
  static final int MAX_LINES = 20;
  /** The most bytes of an answer kept; a bigger result set is cut, not held. */
  static final int MAX_BYTES = 64 * 1024;
  /**
   * The client's script: the password from the container's environment, every other word a
   * positional parameter; the session is read-only, so that even a statement this step's checks let
   * through cannot write.
   */
  static final String SCRIPT = "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysql --host=\"$1\" --port=\"$2\" --user=\"$3\""
      + " --batch --skip-column-names --init-command=\"SET SESSION TRANSACTION READ ONLY\" --execute=\"$4\"";

  private final MemberClusters members;

  KosmosQuery(MemberClusters members) {
    this.members = members;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(2);
  }

  /** The params: the shared ones, the statement and the MySQL user. */
  record Query(MysqlClusters.Params cluster, String statement, String user) {}

  static Query params(Map<String, Object> params) {
    Map<String, Object> rest = new LinkedHashMap<>(params);
    Object statement = rest.remove("query");
    Object user = rest.remove("user");
    String query = statement == null ? DEFAULT_QUERY : String.valueOf(statement).strip();
    String problem = problem(query);
    if (problem != null) {
      throw new IllegalArgumentException(TYPE + ": param 'query' " + problem);
    }
    String who = user == null ? "root" : String.valueOf(user).strip();
    if (!who.matches("[A-Za-z0-9_]{1,32}")) {
      throw new IllegalArgumentException(TYPE + ": param 'user' must be a MySQL user name (letters, digits, '_')");
    }
    return new Query(MysqlClusters.params(TYPE, rest), query, who);
  }

  /**
   * What is wrong with a statement for this step, or null: one SELECT or SHOW on one line, without
   * ';', comments or the forms that do more than read ({@link #SIDE_EFFECT}).
   */
  static String problem(String query) {
    if (query.isEmpty() || query.length() > 500 || query.contains(";") || query.lines().count() > 1
        || !READ_ONLY.matcher(query + " ").matches()) {
      return "must be one SELECT or SHOW statement on one line, without ';', at most 500 characters (it proves the"
          + " database answers; it changes nothing)";
    }
    java.util.regex.Matcher m = SIDE_EFFECT.matcher(query);
    if (m.find()) {
      return "must only read, but '" + m.group() + "' in it could write, lock, wait or hide text in a comment"
          + " (INTO, FOR UPDATE, LOCK IN SHARE MODE, GET_LOCK, SLEEP, BENCHMARK, LOAD_FILE, comments are refused):"
          + " use a plain SELECT or SHOW, such as SELECT COUNT(*) FROM a table of yours";
    }
    return null;
  }

  /**
   * The statement as sent: bounded in time by the server — MariaDB runs the {@code /*M!}
   * comment's {@code SET STATEMENT max_statement_time}, MySQL the {@code MAX_EXECUTION_TIME} hint
   * (each takes the other's for a comment).
   */
  static String bounded(String statement) {
    String limited = statement.replaceFirst("(?i)^SELECT\\b", "SELECT /*+ MAX_EXECUTION_TIME(" + STATEMENT_SECONDS * 1000
        + ") */");
    return "/*M!100108 SET STATEMENT max_statement_time=" + STATEMENT_SECONDS + " FOR */ " + limited;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Query q = params(params);
    List<String> targets = q.cluster().placement(members).memberTargets();
    if (targets.isEmpty()) {
      return StepPreview.of(Line.of("preview.kosmos.query.none", "no replica goes to a member cluster: nothing to"
          + " query"));
    }
    List<Line> lines = new ArrayList<>();
    for (String member : targets) {
      lines.add(Line.of("preview.kosmos.query", "{0}: in a Ready replica of MysqlCluster {1} there, {2} (the Service {0}"
          + " imports) {3}; the password is the container''s MYSQL_ROOT_PASSWORD, never read by the console", member,
          q.cluster().namespace() + "/" + q.cluster().name(), "kubectl exec -c " + CONTAINER + " -- mysql --host="
          + q.cluster().service(), "--user=" + q.user() + " --execute='" + q.statement() + "'"));
    }
    lines.add(Line.of("preview.kosmos.query.logged", "each member's answer goes to the log and the audit trail; changes"
        + " nothing"));
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Query q = params(context.params());
    MysqlClusters.Params p = q.cluster();
    List<String> targets = p.placement(members).memberTargets();
    if (targets.isEmpty()) {
      return context.said(Line.of("summary.kosmos.query.none", "no replica goes to a member cluster: nothing to query"));
    }
    long deadline = System.nanoTime() + context.timeout().toNanos();
    List<String> answers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String member : targets) {
      try {
        answers.add(member + " " + query(context, q, member, deadline));
      } catch (StepFailedException e) {
        problems.add(member + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("the database does not answer through the imported Service " + p.namespace() + "/"
          + p.service() + ": " + String.join("; ", problems)
          + (answers.isEmpty() ? "" : " (answered: " + String.join("; ", answers) + ")"));
    }
    return context.said(Line.of("summary.kosmos.query.answers", "the database answers through the imported Service {0}:"
        + " ''{1}'' → {2}", p.namespace() + "/" + p.service(), q.statement(), String.join("; ", answers)));
  }

  /** Runs the statement in {@code member}; answers {@code (from POD): ANSWER}. */
  private String query(StepContext context, Query q, String member, long deadline) throws InterruptedException {
    MysqlClusters.Params p = q.cluster();
    KubernetesClient client = members.client(member);
    List<Pod> ready = MysqlClusters.call("list the pods of " + p.namespace() + " in " + member,
        () -> client.pods().inNamespace(p.namespace()).withLabel(MysqlClusters.CLUSTER_LABEL, p.name()).list().getItems())
        .stream().filter(KosmosQuery::ready).sorted(Comparator.comparing(pod -> pod.getMetadata().getName())).toList();
    if (ready.isEmpty()) {
      throw new StepFailedException("no Ready replica of MysqlCluster " + p.namespace() + "/" + p.name()
          + " runs there to query from");
    }
    Service service = MysqlClusters.call("read Service " + p.namespace() + "/" + p.service() + " in " + member,
        () -> client.services().inNamespace(p.namespace()).withName(p.service()).get());
    if (service == null || service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty()) {
      throw new StepFailedException("there is no Service " + p.namespace() + "/" + p.service()
          + " (the member does not import it)");
    }
    int port = service.getSpec().getPorts().get(0).getPort();
    String pod = ready.get(0).getMetadata().getName();
    context.action(member, "kubectl exec -n " + p.namespace() + " " + pod + " -c " + CONTAINER + " -- mysql --host="
        + p.service() + " --port=" + port + " --user=" + q.user() + " --batch --skip-column-names"
        + " --init-command='SET SESSION TRANSACTION READ ONLY' --execute='" + bounded(q.statement())
        + "' (the password is the container's MYSQL_ROOT_PASSWORD)");
    Capped out = new Capped();
    Capped err = new Capped();
    int exit;
    try (ExecWatch watch = client.pods().inNamespace(p.namespace()).withName(pod).inContainer(CONTAINER)
        .writingOutput(out).writingError(err)
        .exec("sh", "-c", SCRIPT, "lockstep-query", p.service(), String.valueOf(port), q.user(), bounded(q.statement()))) {
      long left = Math.max(1, deadline - System.nanoTime());
      Integer code = watch.exitCode().get(left, TimeUnit.NANOSECONDS);
      exit = code == null ? -1 : code;
    } catch (KubernetesClientException e) {
      throw new StepFailedException("cannot exec in " + pod + ": " + e.getMessage(), e);
    } catch (ExecutionException e) {
      throw new StepFailedException("the exec in " + pod + " failed: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new StepFailedException("mysql in " + pod + " did not finish within the step's timeout");
    }
    List<String> lines = lines(out);
    lines.stream().limit(MAX_LINES).forEach(line -> context.out(member, line));
    List<String> errors = lines(err);
    errors.forEach(line -> context.err(member, line));
    context.exitStatus(member, exit);
    if (exit != 0) {
      throw new StepFailedException("mysql in " + pod + " exited with " + exit
          + (errors.isEmpty() ? "" : ": " + String.join(" ", errors)));
    }
    if (lines.isEmpty()) {
      throw new StepFailedException("mysql in " + pod + " got no row back for '" + q.statement() + "'");
    }
    String answer = String.join(" | ", lines.stream().limit(MAX_LINES).map(l -> l.replace('\t', ' ')).toList());
    if (lines.size() > MAX_LINES || out.cut > 0) {
      answer += " | … (" + (out.cut > 0 ? "more than " : "") + lines.size() + " lines in all, the first " + MAX_LINES
          + " shown)";
      context.out(member, "… the answer has " + (out.cut > 0 ? "more than " : "") + lines.size() + " lines; the first "
          + MAX_LINES + " are shown");
    }
    context.info(member + ": " + p.service() + ":" + port + " answered '" + q.statement() + "' (from " + pod + "): "
        + answer);
    return "(from " + pod + "): " + answer;
  }

  /** The first {@link #MAX_BYTES} bytes of a stream; the rest counted, not held. */
  static final class Capped extends java.io.OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long cut;

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = Math.max(0, MAX_BYTES - kept.size());
      kept.write(b, off, Math.min(room, len));
      cut += Math.max(0, len - room);
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }

  private static List<String> lines(Capped stream) {
    String text = stream.text();
    return text.isBlank() ? List.of() : List.of(text.strip().split("\r?\n"));
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
