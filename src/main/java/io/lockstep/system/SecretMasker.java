package io.lockstep.system;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Masks secret values in text before it is logged, streamed, audited, shown or exported — within
 * the scope the text belongs to. A caller says whose text it is: {@link #forRun} for the output of
 * one run (log lines, SSE, its audit events, its previews and pages), {@link #forPlan} for a
 * plan's page, {@link #shapesOnly} for text that belongs to no run or plan.
 *
 * <p>What masks where:
 *
 * <ul>
 *   <li>the values of parameters a procedure declares {@code secret: true}, once their plan is
 *       stored ({@link #planStored}): in that plan's scope and in the scopes of its runs only. A
 *       refused plan request registers nothing;
 *   <li>secret data a run read from the cluster (Secrets it backed up, {@link #runRead}): in that
 *       run's scope only;
 *   <li>credential shapes ({@code password=…}, PEM private keys, this console's API tokens {@code
 *       lst_…}): everywhere, a last line of defence.
 * </ul>
 *
 * <p>The secrets of a scope are kept in memory and, when this console has not learned them (after a
 * restart), looked up once through a {@link Source}. Values shorter than 4 characters mask nothing
 * (they would blank out ordinary words). Masking is the last line of defence: code should not put
 * secrets into text in the first place.
 */
@Component
public class SecretMasker {

  public static final String MASK = "******";
  private static final int MIN_LENGTH = 4;
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("(?i)((?:password|passwd|secret|token|api[_-]?key)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;]+)"),
      Pattern.compile("(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----)"));

  /**
   * Where the secrets of a scope are found when this console does not hold them in memory: the
   * stored plans and runs (implemented by the module that stores them).
   */
  public interface Source {

    /** The plan the run runs; empty for an unknown run. */
    Optional<String> planOfRun(String runId);

    /** The values of secret parameters of every stored version of the plan. */
    Collection<String> secretsOfPlan(String planId);

    /** The secret values the run read from the cluster (its Secret backups). */
    Collection<String> secretsOfRun(String runId);
  }

  private final ObjectProvider<Source> sources;
  private final Map<String, Set<String>> plans = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> runs = new ConcurrentHashMap<>();
  private final Map<String, String> planOfRun = new ConcurrentHashMap<>();

  /** A masker that knows only what it is told (tests). */
  public SecretMasker() {
    this(null);
  }

  @Autowired
  SecretMasker(ObjectProvider<Source> sources) {
    this.sources = sources;
  }

  /** The scope of one run's output: its plan's secret parameters, the secret data it read, the shapes. */
  public SecretScope forRun(String runId) {
    if (runId == null) {
      return shapesOnly();
    }
    return text -> mask(text, Stream.concat(planSecrets(planOf(runId)).stream(), runSecrets(runId).stream()));
  }

  /** The scope of one plan's page: the values of its secret parameters, the shapes. */
  public SecretScope forPlan(String planId) {
    if (planId == null) {
      return shapesOnly();
    }
    return text -> mask(text, planSecrets(planId).stream());
  }

  /** The scope of text that belongs to no run or plan: credential shapes only. */
  public SecretScope shapesOnly() {
    return text -> mask(text, Stream.empty());
  }

  /**
   * A plan version was stored (call it once the transaction that stored it has committed): the
   * values of its secret parameters mask in the plan's scope and in its runs'.
   */
  public void planStored(String planId, Collection<String> secretValues) {
    add(planSecrets(planId), secretValues);
  }

  /** The run runs the plan: the plan's secrets mask in the run's scope. */
  public void runOfPlan(String runId, String planId) {
    planOfRun.put(runId, planId);
  }

  /** The run read these secret values from the cluster (a Secret it backs up): they mask in its scope. */
  public void runRead(String runId, Collection<String> secretValues) {
    add(runSecrets(runId), secretValues);
  }

  private String planOf(String runId) {
    String planId = planOfRun.get(runId);
    if (planId == null && source() != null) {
      planId = source().planOfRun(runId).orElse(null);
      if (planId != null) {
        planOfRun.putIfAbsent(runId, planId);
      }
    }
    return planId;
  }

  private Set<String> planSecrets(String planId) {
    if (planId == null) {
      return Set.of();
    }
    return loaded(plans, planId, id -> source().secretsOfPlan(id));
  }

  private Set<String> runSecrets(String runId) {
    return loaded(runs, runId, id -> source().secretsOfRun(id));
  }

  private Set<String> loaded(Map<String, Set<String>> cache, String id,
      java.util.function.Function<String, Collection<String>> load) {
    Set<String> known = cache.get(id);
    if (known != null) {
      return known;
    }
    Set<String> fresh = ConcurrentHashMap.newKeySet();
    if (source() != null) {
      add(fresh, load.apply(id));
    }
    Set<String> raced = cache.putIfAbsent(id, fresh);
    return raced == null ? fresh : raced;
  }

  private Source source() {
    return sources == null ? null : sources.getIfAvailable();
  }

  private static void add(Set<String> into, Collection<String> values) {
    if (values == null) {
      return;
    }
    for (String value : values) {
      if (value != null && value.length() >= MIN_LENGTH) {
        into.add(value);
        String stripped = value.strip();
        if (stripped.length() >= MIN_LENGTH) {
          into.add(stripped);
        }
      }
    }
  }

  /**
   * A secret cut in two where an overlong output line was handed on in pieces (ssh cuts a line at
   * 64 KiB so that a command without line breaks cannot exhaust memory): one piece ends with its
   * head, the next begins with its tail, and neither holds it whole. So text that ends with the
   * first {@value #MIN_LENGTH} or more characters of a secret, or begins with its last ones, has
   * those masked too. Fewer than {@value #MIN_LENGTH} at an edge stay, for the reason a secret that
   * short is refused: they could not be masked without blanking ordinary words.
   */
  private static String maskCutEdges(String text, String secret) {
    String result = text;
    for (int k = Math.min(secret.length() - 1, result.length()); k >= MIN_LENGTH; k--) {
      if (result.regionMatches(result.length() - k, secret, 0, k)) {
        result = result.substring(0, result.length() - k) + MASK;
        break;
      }
    }
    for (int k = Math.min(secret.length() - 1, result.length()); k >= MIN_LENGTH; k--) {
      if (result.regionMatches(0, secret, secret.length() - k, k)) {
        result = MASK + result.substring(k);
        break;
      }
    }
    return result;
  }

  private static String mask(String text, Stream<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets.distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      result = maskCutEdges(result.replace(secret, MASK), secret);
    }
    result = SHAPES.get(0).matcher(result).replaceAll("$1" + MASK);
    result = ApiTokenSecrets.IN_TEXT.matcher(result).replaceAll(MASK);
    return SHAPES.get(1).matcher(result).replaceAll("$1" + MASK + "$2");
  }
}
