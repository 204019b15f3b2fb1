package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.procedure.StepTypes;
import io.lockstep.run.StepExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** The executors are beans the engine finds, one per documented type. */
class KubeStepsWiringTest {

  @Test
  void everyExecutorIsABeanOfADocumentedType() {
    try (var context = new AnnotationConfigApplicationContext()) {
      var client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:9")
          .build()).build();
      context.registerBean(Kubernetes.class, () -> new Kubernetes(
          new KubernetesProperties(null, null, "anyshare", "resource", Duration.ofSeconds(5)), client));
      context.registerBean(java.time.Clock.class, java.time.Clock::systemUTC);
      context.scan(KubeStepsWiringTest.class.getPackageName());
      context.refresh();

      var types = context.getBeansOfType(StepExecutor.class).values().stream().map(StepExecutor::type).toList();

      assertThat(types).containsExactlyInAnyOrder("k8s.scale", "k8s.cordon", "k8s.uncordon", "k8s.drain",
          "k8s.check-nodes", "wait.pods-gone", "wait.workloads-ready", "wait.node-ready", "wait.node-not-ready",
          "k8s.patch", "k8s.delete", "wait.deleted", "k8s.park-daemonsets", "k8s.rollout-restart", "k8s.delete-custom",
          "k8s.backup-secrets", "wait.pods-ready", "k8s.check-drain", "k8s.check-restored", "k8s.check-workloads");
      assertThat(StepTypes.DOCUMENTED).containsAll(types);
    }
  }
}
