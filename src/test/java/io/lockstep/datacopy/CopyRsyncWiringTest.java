package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.run.StepExecutor;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
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
class CopyRsyncWiringTest {

  KubernetesClient client;
  @TempDir Path dir;

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(DataCopyProperties.class)
  @Import({CopyRsync.class, NodeAddresses.class})
  static class Module {}

  ApplicationContextRunner runner() {
    SshProperties ssh = new SshProperties("root", 22, null, null, null, dir.resolve("known_hosts"),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
    return new ApplicationContextRunner()
        .withUserConfiguration(Module.class)
        .withBean(NodeShell.class, () -> new NodeShell(ssh))
        .withBean(Kubernetes.class, () -> new Kubernetes(new KubernetesProperties(null, null,
            "anyshare", "resource", Duration.ofSeconds(5)), client));
  }

  @Test
  void theExecutorIsABeanOfTypeCopyRsyncWithTheDocumentedDefaults() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBeansOfType(StepExecutor.class).values())
          .extracting(StepExecutor::type).containsExactly("copy.rsync");
      assertThat(context.getBean(StepExecutor.class).defaultTimeout()).isEqualTo(Duration.ofHours(12));
      assertThat(context.getBean(DataCopyProperties.class))
          .isEqualTo(new DataCopyProperties(6, Duration.ofSeconds(10), 1.1));
    });
  }

  @Test
  void settingsAreReadFromLockstepDatacopyAndChecked() {
    runner().withPropertyValues("lockstep.datacopy.parallelism=3",
        "lockstep.datacopy.kill-after=30s", "lockstep.datacopy.free-space-factor=1.25")
        .run(context -> assertThat(context.getBean(DataCopyProperties.class))
            .isEqualTo(new DataCopyProperties(3, Duration.ofSeconds(30), 1.25)));
    runner().withPropertyValues("lockstep.datacopy.free-space-factor=0.5")
        .run(context -> assertThat(context).hasFailed());
    runner().withPropertyValues("lockstep.datacopy.parallelism=0")
        .run(context -> assertThat(context).hasFailed());
  }
}
