package io.lockstep.targets;

import io.lockstep.run.PlanDataCheck;
import io.lockstep.targets.ClusterMachines.Picture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The plan checks of P2, P3 and P4: the values name the right nodes of the cluster as it is when
 * the plan is saved (through the plan form or the API). A cluster that cannot be read refuses the
 * plan, saying why: a plan whose targets nobody could check is not stored.
 */
@Configuration(proxyBeanMethods = false)
class TargetChecks {

  @Bean
  PlanDataCheck masterNodeTarget(ClusterMachines machines) {
    return new Check(TargetRules.P2, values -> {
      Picture cluster = machines.read();
      return TargetRules.master(cluster, (String) values.get("node"));
    });
  }

  @Bean
  PlanDataCheck workerNodeTarget(ClusterMachines machines) {
    return new Check(TargetRules.P3, values -> {
      Picture cluster = machines.read();
      String node = (String) values.get("node");
      return TargetRules.worker(cluster, node, once(() -> machines.etcdNodes(cluster, List.of())));
    });
  }

  @Bean
  PlanDataCheck wholeClusterTarget(ClusterMachines machines) {
    return new Check(TargetRules.P4, values -> {
      Picture cluster = machines.read();
      List<String> etcdNodes = names(values.get("etcd_nodes"));
      return TargetRules.wholeCluster(cluster, names(values.get("nodes")), etcdNodes,
          (String) values.get("partial_reason"), once(() -> machines.etcdNodes(cluster, etcdNodes)));
    });
  }

  /** The rule of one procedure's values; a cluster that cannot be read is a problem of the first parameter. */
  private record Check(String procedureId, java.util.function.Function<Map<String, Object>, List<ValueProblem>> rule)
      implements PlanDataCheck {

    @Override
    public List<String> problems(Map<String, Object> values, Map<String, Object> data) {
      return List.of();
    }

    @Override
    public List<ValueProblem> valueProblems(Map<String, Object> values) {
      try {
        return rule.apply(values);
      } catch (IllegalStateException e) {
        return List.of(new ValueProblem(procedureId.equals(TargetRules.P4) ? "nodes" : "node", e.getMessage()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Object value) {
    return value instanceof List<?> list ? (List<String>) list : List.of();
  }

  private static Supplier<Set<String>> once(Supplier<Set<String>> supplier) {
    return new Supplier<>() {
      private Set<String> value;

      @Override
      public synchronized Set<String> get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
