package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.run.StepExecutor;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
import io.lockstep.sshsteps.PasswordLogins;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** The executors are beans the engine finds under their types. */
class ProtonStepsWiringTest {

  @Test
  void everyExecutorIsABean() {
    try (var context = new AnnotationConfigApplicationContext()) {
      var client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:9")
          .build()).build();
      Kubernetes kubernetes = new Kubernetes(new KubernetesProperties(null, null, "anyshare", "resource",
          Duration.ofSeconds(5)), client);
      context.registerBean(Kubernetes.class, () -> kubernetes);
      context.registerBean(NodeAddresses.class, () -> new NodeAddresses(kubernetes));
      SshProperties ssh = new SshProperties("root", 22, null, null, null,
          Path.of("known_hosts"), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
      context.registerBean(NodeShell.class, () -> new NodeShell(ssh));
      context.registerBean(PasswordLogins.class, () -> new PasswordLogins(ssh, context.getBean(NodeAddresses.class)));
      context.scan(ProtonStepsWiringTest.class.getPackageName());
      context.refresh();

      assertThat(context.getBeansOfType(StepExecutor.class).values()).extracting(StepExecutor::type)
          .containsExactlyInAnyOrder("proton.conf", "proton.secrets", "proton.secrets-restore",
              "proton.check-secrets");
    }
  }
}
