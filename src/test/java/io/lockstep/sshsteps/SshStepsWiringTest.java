package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepExecutor;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The module as Spring assembles it: the executor bean and its settings. */
@EnableKubernetesMockClient(crud = true, https = false)
class SshStepsWiringTest {

  KubernetesClient client;
  @TempDir Path dir;

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(SshStepsProperties.class)
  @Import({SshExec.class, EtcdHealth.class, SystemdActive.class, RemoteCapture.class, NodeAddresses.class})
  static class Module {}

  ApplicationContextRunner runner() {
    SshProperties ssh = new SshProperties("root", 22, null, null, null, dir.resolve("known_hosts"),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
    return new ApplicationContextRunner()
        .withUserConfiguration(Module.class)
        .withBean(NodeShell.class, () -> new NodeShell(ssh))
        .withBean(Kubernetes.class, () -> ACluster.kubernetes(client));
  }

  @Test
  void theExecutorsAreBeansOfTypesSshExecAndEtcdHealthWithTheDocumentedDefaults() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBeansOfType(StepExecutor.class).values())
          .extracting(StepExecutor::type).containsExactlyInAnyOrder("ssh.exec", "etcd.health", "systemd.active");
      assertThat(context.getBean(SshStepsProperties.class))
          .isEqualTo(new SshStepsProperties(16, Duration.ofSeconds(10)));
    });
  }

  @Test
  void settingsAreReadFromLockstepSshsteps() {
    runner().withPropertyValues("lockstep.sshsteps.parallelism=4",
        "lockstep.sshsteps.kill-after=30s").run(context -> assertThat(
            context.getBean(SshStepsProperties.class))
        .isEqualTo(new SshStepsProperties(4, Duration.ofSeconds(30))));
  }

  @Test
  void nonsenseSettingsStopTheConsole() {
    runner().withPropertyValues("lockstep.sshsteps.parallelism=0")
        .run(context -> assertThat(context).hasFailed());
  }
}
