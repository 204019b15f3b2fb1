package io.lockstep.run;

import io.lockstep.procedure.StepTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The executors there are, by type; their types are what procedures may name. */
class StepExecutors {

  private final Map<String, StepExecutor> byType = new TreeMap<>();

  StepExecutors(List<StepExecutor> executors) {
    for (StepExecutor executor : executors) {
      StepExecutor other = byType.put(executor.type(), executor);
      if (other != null) {
        throw new IllegalStateException("two executors of type '" + executor.type() + "': "
            + other.getClass().getName() + " and " + executor.getClass().getName());
      }
    }
  }

  Optional<StepExecutor> of(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  StepTypes types() {
    return StepTypes.of(byType.keySet(), byType.values().stream().filter(StepExecutor::readOnly)
        .map(StepExecutor::type).toList());
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {

    @Bean
    StepExecutors stepExecutors(List<StepExecutor> executors) {
      return new StepExecutors(executors);
    }

    /** Procedures naming a type no executor implements fail when they load. */
    @Bean
    StepTypes stepTypes(StepExecutors executors) {
      return executors.types();
    }
  }
}
