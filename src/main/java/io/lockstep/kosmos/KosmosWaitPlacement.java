package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * {@code kosmos.wait-placement}: waits until the replicas of the MySQL cluster are Running and
 * Ready where the plan says — as many on each planned host node and in each planned member as the
 * plan puts there — and, in every member holding a replica, the primary's imported Service has a
 * ready endpoint (the replica reaches its primary through it). Says what is still missing while it
 * waits; the step's timeout bounds it.
 */
@Component
class KosmosWaitPlacement implements StepExecutor {

  static final String TYPE = "kosmos.wait-placement";
  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration SAY_EVERY = Duration.ofSeconds(10);

  private final Kubernetes kubernetes;
  private final MemberClusters members;

  KosmosWaitPlacement(Kubernetes kubernetes, MemberClusters members) {
    this.kubernetes = kubernetes;
    this.members = members;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(15);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    MysqlClusters.Params p = MysqlClusters.params(TYPE, params);
    return StepPreview.of(Line.of("preview.kosmos.waitPlacement", "wait until the replicas of MysqlCluster {0} are"
        + " Running and Ready as planned: {1}, and the members'' imported {2} has a ready endpoint",
        p.namespace() + "/" + p.name(), p.placement(members).describedLine(), p.service()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    MysqlClusters.Params p = MysqlClusters.params(TYPE, context.params());
    Placement placement = p.placement(members);
    context.action(null, "watch the pods of MysqlCluster " + p.namespace() + "/" + p.name() + " until they run as planned");
    long said = 0;
    while (true) {
      List<String> missing;
      List<Line> where = new ArrayList<>();
      try {
        missing = missing(p, placement, where);
      } catch (KubernetesClientException e) {
        missing = List.of("the API does not answer: " + e.getMessage());
      }
      if (missing.isEmpty()) {
        Object all = "";
        for (Line one : where) { // "a, b, c" as one line, each place in the reader's language
          all = "".equals(all) ? one : Line.of("summary.comma", "{0}, {1}", all, one);
        }
        Line summary = all instanceof Line line ? line : Line.plain("");
        context.info("every replica runs as planned: " + summary.english() + " (the scheduler chose which"
            + " ordinal takes which planned place: " + Placement.RULE.substring(0, Placement.RULE.indexOf(':')) + ")");
        return context.said(summary);
      }
      if (said == 0 || System.nanoTime() - said >= SAY_EVERY.toNanos()) {
        context.info("waiting: " + String.join("; ", missing));
        said = System.nanoTime();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * What keeps the replicas from running as planned; fills {@code where} with where each runs. The
   * plan's places are matched as a whole (so many replicas on this node, so many in that member):
   * one pod spec serves every replica, so which ordinal lands on which planned place is the
   * scheduler's choice, and the log says which it made.
   */
  private List<String> missing(MysqlClusters.Params p, Placement placement, List<Line> where) {
    KubernetesClient host = kubernetes.client();
    List<Pod> pods = host.pods().inNamespace(p.namespace()).withLabel(MysqlClusters.CLUSTER_LABEL, p.name()).list()
        .getItems().stream().sorted(Comparator.comparing(pod -> pod.getMetadata().getName())).toList();
    Map<String, Long> planned = p.replicas().stream()
        .collect(java.util.stream.Collectors.groupingBy(t -> t, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    Map<String, Long> placed = new java.util.TreeMap<>();
    List<String> missing = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String node = Objects.requireNonNullElse(pod.getSpec().getNodeName(), "");
      if (node.isEmpty()) {
        missing.add(name + " is not scheduled yet");
        continue;
      }
      String place = node.startsWith(Placement.VIRTUAL_NODE_PREFIX) ? node.substring(Placement.VIRTUAL_NODE_PREFIX.length())
          : node;
      placed.merge(place, 1L, Long::sum);
      if (!ready(pod)) {
        missing.add(name + " on " + place + " is not Ready");
      } else if (placement.inMember(place)) {
        Pod inMember = members.client(place).pods().inNamespace(p.namespace()).withName(name).get();
        where.add(inMember == null ? Line.of("summary.kosmos.where.in", "{0} in {1}", name, place)
            : Line.of("summary.kosmos.where.inOn", "{0} in {1} on {2}", name, place, inMember.getSpec().getNodeName()));
      } else {
        where.add(Line.of("summary.kosmos.where.on", "{0} on {1}", name, place));
      }
    }
    if (!placed.equals(planned)) {
      missing.add("running " + placed + ", planned " + planned);
    }
    for (String member : placement.memberTargets()) {
      List<EndpointSlice> slices = members.client(member).discovery().v1().endpointSlices().inNamespace(p.namespace())
          .withLabel("kubernetes.io/service-name", p.service()).list().getItems();
      boolean ready = slices.stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty()
          : s.getEndpoints().stream()).anyMatch(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()));
      if (!ready) {
        missing.add("no ready endpoint of " + p.service() + " in " + member);
      }
    }
    return missing;
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
