package io.lockstep.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules a P1 plan must keep, checked against the platform as it is and what was measured on
 * its nodes. Reads nothing itself: the same rules serve the planner page while the operator edits
 * and every store of a plan ({@link MigrationPlanCheck}).
 *
 * <p>Every problem names the row it concerns. A row whose target is not measured yet gets no
 * problem for it: the caller tells "measuring…" from {@link Facts#pending()}.
 */
final class PlanRules {

  static final int MAX_REPLICAS = 3;
  static final double SPACE_FACTOR = 1.1;

  private final List<Row> rows;
  private final Platform platform;
  private final Facts facts;
  private final Set<Place> ownTargets;
  private final List<Problem> problems = new ArrayList<>();

  private PlanRules(List<Row> rows, Platform platform, Facts facts, Set<Place> ownTargets) {
    this.rows = rows;
    this.platform = platform;
    this.facts = facts;
    this.ownTargets = ownTargets;
  }

  /** Every problem of {@code rows} on {@code platform}, given what was measured. */
  static List<Problem> check(List<Row> rows, Platform platform, Facts facts) {
    return check(rows, platform, facts, Set.of());
  }

  /**
   * The same for a correction of a plan whose run is under way: {@code ownTargets} are the targets
   * of the rows of the version the run works with, which its own pre-copy may have filled. A row
   * that still copies from the same source into one of them is not refused for a target that is
   * not empty nor for the room its data already takes there; {@code copy.rsync} checks, when it
   * copies, that what it finds there is its own run's doing.
   */
  static List<Problem> check(List<Row> rows, Platform platform, Facts facts, Set<Place> ownTargets) {
    PlanRules rules = new PlanRules(rows, platform, facts, ownTargets);
    rules.checkAll();
    return List.copyOf(rules.problems);
  }

  /** The targets of the rows a plan version under way copies into (P1 plan data), for {@link #check}. */
  static Set<Place> targetsOf(Map<String, Object> underway) {
    if (underway == null || underway.isEmpty()) {
      return Set.of();
    }
    Set<Place> targets = new HashSet<>();
    PlanData.rows(underway).rows().stream().filter(Row::moves).forEach(r -> targets.add(r.target()));
    return Set.copyOf(targets);
  }

  private boolean own(Row row) {
    return ownTargets.contains(row.target());
  }

  private void checkAll() {
    if (platform.catalogProblem() != null) {
      problems.add(Problem.general("catalog", platform.catalogProblem()));
    }
    keys();
    rows.forEach(this::matchesPlatform);
    everyReplicaPlanned();
    replicaCounts();
    sharedTargetPaths();
    rows.forEach(this::hostStaysOnItsNode);
    onePerNode();
    rows.stream().filter(Row::moves).forEach(this::nodesUsable);
    Set<Row> overlapping = sameTargets();
    rows.stream().filter(Row::moves).filter(r -> !overlapping.contains(r)).filter(r -> !own(r))
        .forEach(this::targetUsable);
    rows.forEach(this::sizeMeasured);
    freeSpace();
    if (rows.stream().noneMatch(Row::moves)) {
      problems.add(Problem.general("nothingMoves"));
    } else {
      MigrationPlan plan = MigrationPlan.of(rows, platform);
      if (plan.controlNode() == null) {
        problems.add(Problem.general("noControlNode"));
      }
    }
  }

  private void keys() {
    Set<String> seen = new HashSet<>();
    for (Row row : rows) {
      if (!row.key().equals(row.component() + "-" + row.ordinal())) {
        problems.add(Problem.of(row.key(), "key", row.component() + "-" + row.ordinal()));
      }
      if (!seen.add(row.key())) {
        problems.add(Problem.of(row.key(), "duplicateKey"));
      }
    }
  }

  /** The row starts where the platform has the replica: same component, ordinal, node and path. */
  private void matchesPlatform(Row row) {
    if (!platform.knowsComponent(row.component())) {
      problems.add(Problem.of(row.key(), "unknownComponent", row.component()));
      return;
    }
    Replica live = platform.replica(row.component(), row.ordinal()).orElse(null);
    Replica onSource = platform.replicaOn(row.component(), row.sourceNode()).orElse(null);
    if (live == null || !Objects.equals(live.node(), row.sourceNode())) {
      if (onSource != null && onSource.ordinal() != row.ordinal()) {
        problems.add(Problem.of(row.key(), "ordinalChanged", row.component(), row.sourceNode(),
            onSource.ordinal(), row.ordinal()));
      } else if (live == null) {
        problems.add(Problem.of(row.key(), "unknownReplica", row.component(), row.ordinal()));
      } else {
        problems.add(Problem.of(row.key(), "sourceNode", live.key(), live.node(), row.sourceNode()));
      }
      return;
    }
    if (!Objects.equals(live.path(), row.sourcePath())) {
      problems.add(Problem.of(row.key(), "sourcePath", live.key(), live.path(), row.sourcePath()));
    }
    if (live.kind() != null && !live.kind().equals(row.kind())) {
      problems.add(Problem.of(row.key(), "kind", row.component(), live.kind(), row.kind()));
    } else if (live.kind() == null) {
      problems.add(Problem.of(row.key(), "notInCatalog", row.component(), ComponentCatalog.SECRET));
    }
    if (!live.host() && live.confKey() != null && !live.confKey().equals(row.confKey())) {
      problems.add(Problem.of(row.key(), "confKey", row.component(), live.confKey(), row.confKey()));
    }
  }

  private void everyReplicaPlanned() {
    Set<String> keys = new HashSet<>(rows.stream().map(Row::key).toList());
    for (Replica replica : platform.replicas()) {
      if (replica.node() == null || replica.path() == null) {
        problems.add(Problem.of(replica.key(), "noVolume", replica.key()));
      } else if (!keys.contains(replica.key())) {
        problems.add(Problem.of(replica.key(), "missingRow", replica.key()));
      }
    }
  }

  private void replicaCounts() {
    Map<String, List<Row>> byComponent = byComponent();
    byComponent.forEach((component, list) -> {
      if (list.size() > MAX_REPLICAS && !list.get(0).host()) {
        list.subList(MAX_REPLICAS, list.size()).forEach(row ->
            problems.add(Problem.of(row.key(), "tooManyReplicas", component, list.size(), MAX_REPLICAS)));
      }
    });
  }

  private void sharedTargetPaths() {
    byComponent().forEach((component, list) -> {
      String first = list.get(0).targetPath();
      list.stream().filter(r -> !r.targetPath().equals(first)).forEach(row ->
          problems.add(Problem.of(row.key(), "pathDiffers", component, row.targetPath(), first)));
    });
  }

  private void hostStaysOnItsNode(Row row) {
    if (row.host() && !row.targetNode().equals(row.sourceNode())) {
      problems.add(Problem.of(row.key(), "hostMoved", row.component(), row.sourceNode(), row.targetNode()));
    }
  }

  /** A component runs at most one replica per node, after the moves. */
  private void onePerNode() {
    byComponent().forEach((component, list) -> {
      for (Row row : list) {
        list.stream().filter(o -> o != row && o.targetNode().equals(row.targetNode())).findFirst().ifPresent(o ->
            problems.add(Problem.of(row.key(), "twoOnNode", component, row.targetNode(), o.key())));
      }
    });
  }

  /** The data is copied from the source node to the target node: both must be there and reachable. */
  private void nodesUsable(Row row) {
    NodeState target = platform.node(row.targetNode()).orElse(null);
    if (target == null) {
      problems.add(Problem.of(row.key(), "noSuchNode", row.targetNode()));
      return;
    }
    if (!target.ready()) {
      problems.add(Problem.of(row.key(), "notReady", target.name()));
    }
    if (!target.reachable()) {
      problems.add(Problem.of(row.key(), "unreachable", target.name(), target.sshMessage()));
    }
    platform.node(row.sourceNode()).filter(n -> !n.reachable() && !n.name().equals(target.name())).ifPresent(n ->
        problems.add(Problem.of(row.key(), "unreachable", n.name(), n.sshMessage())));
  }

  /**
   * No two rows write to one directory (or one inside the other) on a node; nor does a row write
   * into (or around) the data of another row that is still there.
   *
   * @return the rows with such a problem, whose target's content is not worth reporting as well
   */
  private Set<Row> sameTargets() {
    Set<Row> found = new HashSet<>();
    for (Row row : rows) {
      if (row.moves() && row.target().overlaps(row.source())) {
        problems.add(Problem.of(row.key(), "targetInSource", row.target().toString(), row.source().toString()));
        found.add(row);
      }
      for (Row other : rows) {
        if (other == row || !(row.moves() || other.moves())) {
          continue;
        }
        if (!other.component().equals(row.component()) && row.target().overlaps(other.target())) {
          problems.add(Problem.of(row.key(), "sameTarget", row.target().toString(), other.key(), other.target().toString()));
          found.add(row);
        } else if (row.moves() && other.moves() && row.target().overlaps(other.source())) {
          problems.add(Problem.of(row.key(), "targetHoldsData", row.target().toString(), other.key()));
          found.add(row);
        }
      }
    }
    return found;
  }

  private void targetUsable(Row row) {
    Measured<TargetState> measured = facts.target(row.target());
    if (measured.state() == Measured.State.FAILED) {
      problems.add(Problem.of(row.key(), "measureTarget", row.target().toString(), measured.failure()));
    } else if (measured.isDone() && !measured.value().usable()) {
      TargetState state = measured.value();
      problems.add(state.directory()
          ? Problem.of(row.key(), "targetNotEmpty", row.target().toString(), state.firstEntry())
          : Problem.of(row.key(), "targetNotDirectory", row.target().toString()));
    }
  }

  private void sizeMeasured(Row row) {
    Measured<Long> size = facts.size(row.source());
    if (size.state() == Measured.State.FAILED) {
      problems.add(Problem.of(row.key(), "measureSize", row.source().toString(), size.failure()));
    }
  }

  /** Free space on each target filesystem ≥ 1.1 × the data copied onto it. */
  private void freeSpace() {
    Map<String, List<Row>> byFilesystem = new LinkedHashMap<>();
    Map<String, TargetState> states = new HashMap<>();
    for (Row row : rows) {
      Measured<TargetState> target = facts.target(row.target());
      if (row.moves() && !own(row) && target.isDone() && facts.size(row.source()).isDone()) {
        String filesystem = row.targetNode() + ":" + target.value().mount();
        byFilesystem.computeIfAbsent(filesystem, k -> new ArrayList<>()).add(row);
        states.put(filesystem, target.value());
      }
    }
    byFilesystem.forEach((filesystem, list) -> {
      long data = list.stream().mapToLong(r -> facts.size(r.source()).value()).sum();
      long needed = (long) Math.ceil(data * SPACE_FACTOR);
      TargetState state = states.get(filesystem);
      if (state.available() < needed) {
        list.forEach(row -> problems.add(Problem.of(row.key(), "space", row.targetNode(),
            Bytes.human(state.available()), state.mount(), Bytes.human(needed), Bytes.human(data), list.size())));
      }
    });
  }

  private Map<String, List<Row>> byComponent() {
    Map<String, List<Row>> map = new LinkedHashMap<>();
    rows.forEach(r -> map.computeIfAbsent(r.component(), c -> new ArrayList<>()).add(r));
    return map;
  }
}
