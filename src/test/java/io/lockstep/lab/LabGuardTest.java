package io.lockstep.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lockstep.LockstepApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A site's settings with the lab active (its profile forgotten): the console refuses to start and
 * says which setting points outside the lab and how to go on. The plain lab start is every
 * LabConsoleTest's.
 */
class LabGuardTest {

  @TempDir
  Path dir;

  private Throwable startLab(String... settings) {
    List<String> args = new ArrayList<>(List.of("--server.port=0",
        "--spring.datasource.url=jdbc:h2:mem:lab-guard-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "--lockstep.lab.state-dir=" + dir.resolve("lab"), "--lockstep.lab.api-port=0"));
    args.addAll(List.of(settings));
    // No explicit profile: the default one, lab, as a site that forgot it gets.
    return catchThrowable(() ->
        new SpringApplicationBuilder(LockstepApplication.class).run(args.toArray(String[]::new)).close());
  }

  @Test
  void aRealKubeconfigStopsTheStartAndSaysHowToGoOn() throws Exception {
    Path real = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
    Throwable refused = startLab("--lockstep.kubernetes.kubeconfig=" + real);
    assertThat(refused).isNotNull();
    assertThat(rootMessage(refused))
        .contains("lockstep.kubernetes.kubeconfig = " + real)
        .contains("the lab's own is " + dir.resolve("lab").resolve("kubeconfig").toAbsolutePath())
        .contains("--spring.profiles.active=site")
        .contains("remove these settings");
  }

  @Test
  void everySettingThatLeavesTheLabIsNamedAtOnce() {
    Throwable refused = startLab(
        "--lockstep.kubernetes.context=proton-prod",
        "--lockstep.kubernetes.members.az2=proton-az2",
        "--lockstep.ssh.known-hosts=/etc/lockstep/known_hosts",
        "--lockstep.ssh.private-key=/etc/lockstep/id_ed25519",
        "--lockstep.ssh.port=22",
        "--lockstep.sshsteps.hosts.top1=10.0.0.1");
    assertThat(refused).isNotNull();
    assertThat(rootMessage(refused))
        .contains("lockstep.kubernetes.context = proton-prod; the lab's own is lockstep-lab")
        .contains("lockstep.kubernetes.members.az2 = proton-az2; the lab's own is lockstep-az2")
        .contains("lockstep.ssh.known-hosts = /etc/lockstep/known_hosts")
        .contains("lockstep.ssh.private-key = /etc/lockstep/id_ed25519")
        .contains("lockstep.ssh.port = 22; the lab's nodes listen on 2222")
        .contains("lockstep.sshsteps.hosts.top1 = 10.0.0.1; no lab machine has that address")
        .doesNotContain("lockstep.kubernetes.kubeconfig =");
  }

  /**
   * The lab without its VM management cluster (as the crash tests start it): the lab profile still
   * names that cluster's hosts in lockstep.sshsteps.hosts; they are the packaged seed's, the lab's
   * own, so the console starts (it once refused, and every console process with them).
   */
  @Test
  void theLabWithoutItsVmClusterStillStarts() {
    int port = io.lockstep.testing.LabConsoleTest.freePortOnNodeAddresses();
    assertThat(startLab("--lockstep.lab.vm-cluster=", "--lockstep.lab.kosmos=", "--lockstep.lab.ssh-port=" + port))
        .isNull();
  }

  @Test
  void aKubeconfigLeftUnsetIsRefusedToo() {
    // Unset, fabric8 would look for KUBECONFIG, ~/.kube/config or a service account: a real cluster.
    Throwable refused = startLab("--lockstep.kubernetes.kubeconfig=");
    assertThat(refused).isNotNull();
    assertThat(rootMessage(refused)).contains("lockstep.kubernetes.kubeconfig = (not set)");
  }

  @Test
  void anExplicitSiteProfileIsNotTheLab() {
    // The same setting with the site profile: the guard is not there (the start fails later, for
    // want of users, which a real site configures).
    assertThatThrownBy(() -> new SpringApplicationBuilder(LockstepApplication.class).profiles("site")
            .run("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:lab-guard-site;DB_CLOSE_DELAY=-1",
                "--lockstep.ssh.known-hosts=" + Files.writeString(dir.resolve("known_hosts"), ""),
                "--lockstep.kubernetes.kubeconfig=/etc/lockstep/kubeconfig").close())
        .hasStackTraceContaining("Lockstep has no users")
        .satisfies(e -> assertThat(rootMessage(e)).doesNotContain("point outside the lab"));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
