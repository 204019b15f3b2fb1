package io.lockstep.migration;

import io.lockstep.migration.PlannerView.Group;
import io.lockstep.migration.PlannerView.NodeOption;
import io.lockstep.migration.PlannerView.RowView;
import io.lockstep.procedure.Procedure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.MessageSource;

/** Puts the platform, the form's rows, the measurements and the problems into one {@link PlannerView}. */
final class PlannerViews {

  private final MessageSource messages;

  PlannerViews(MessageSource messages) {
    this.messages = messages;
  }

  PlannerView of(PlannerForm form, String planId, Procedure procedure, Platform platform,
      Planner.Evaluation evaluation, Locale locale) {
    Map<String, List<String>> byRow = new LinkedHashMap<>();
    List<String> general = new ArrayList<>();
    for (Problem problem : evaluation.problems()) {
      if (problem.row() == null) {
        general.add(problem.text(messages, locale));
      } else {
        byRow.computeIfAbsent(problem.row(), k -> new ArrayList<>()).add(problem.text(messages, locale));
      }
    }
    List<String> lines = evaluation.problems().stream().map(p -> p.line(messages, locale)).toList();
    List<Row> rows = evaluation.rows();
    MigrationPlan plan = MigrationPlan.of(rows, platform);
    List<Row> moving = rows.stream().filter(Row::moves).toList();
    PlannerView.Summary summary = new PlannerView.Summary(moving.size(),
        Bytes.human(moving.stream().mapToLong(Row::bytes).sum()), plan.oldNodes(), plan.newNodes(),
        plan.appNamespace(), plan.controlNode(), plan.finalControlNode());
    return new PlannerView(planId, form.version(), form.title(), procedure, Planner.shownValues(procedure, form),
        nodes(platform, locale), mapSources(platform), groups(form, platform, evaluation.facts(), byRow), general,
        lines, evaluation.facts().pending(), MovesPicture.of(rows, platform.nodeNames()), summary, null,
        form.mapFrom(), form.mapTo());
  }

  private List<NodeOption> nodes(Platform platform, Locale locale) {
    return platform.nodes().stream().map(n -> new NodeOption(n.name(),
        !n.ready() ? messages.getMessage("migration.node.notReady", null, locale)
            : !n.reachable() ? messages.getMessage("migration.node.unreachable", null, locale) : ""))
        .toList();
  }

  private static List<String> mapSources(Platform platform) {
    return platform.nodeNames().stream().filter(platform::hostsReplica).toList();
  }

  private static List<Group> groups(PlannerForm form, Platform platform, Facts facts, Map<String, List<String>> problems) {
    Map<String, List<Replica>> byComponent = new LinkedHashMap<>();
    platform.replicas().forEach(r -> byComponent.computeIfAbsent(r.component(), c -> new ArrayList<>()).add(r));
    List<Group> groups = new ArrayList<>();
    byComponent.forEach((component, replicas) -> {
      Replica first = replicas.get(0);
      List<RowView> rows = replicas.stream().map(r -> row(form, facts, r, problems)).toList();
      String path = replicas.stream().map(form::pathOf).filter(Objects::nonNull).findFirst().orElse("");
      groups.add(new Group(component, first.kind(), first.confKey(), first.host(), path, rows));
    });
    return groups;
  }

  private static RowView row(PlannerForm form, Facts facts, Replica r, Map<String, List<String>> problems) {
    List<String> own = problems.getOrDefault(r.key(), List.of());
    if (r.node() == null || r.path() == null) {
      return new RowView(r.key(), r.ordinal(), r.node(), r.path(), null, null, null, true, false, own);
    }
    Measured<Long> size = facts.size(new Place(r.node(), r.path()));
    String target = form.targetOf(r);
    String path = form.pathOf(r);
    return new RowView(r.key(), r.ordinal(), r.node(), r.path(), target, path,
        size.isDone() ? Bytes.human(size.value()) : null, size.state() == Measured.State.FAILED,
        !target.equals(r.node()) || !path.equals(r.path()), own);
  }
}
