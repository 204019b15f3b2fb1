package io.lockstep.vmsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.vmcluster.VmClusterLab;
import io.lockstep.lab.vmcluster.VmClusterSeed;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipmi.power} with {@code action: status} against the lab's management cluster over real SSH:
 * the workstation's ipmitool asks every BMC with the plan's user and password file, as the power
 * actions do; wrong credentials fail naming every host, with neither password shown; a host in the
 * other power state fails {@code expect}; nothing is powered anywhere.
 */
class IpmiStatusOnTheLabTest {

  static final List<String> HOSTS = List.of("top1", "top2", "top3", "worker1", "worker2", "iw1", "iw2");
  static final String BMC_PASSWORD = "lab-ipmi-secret";
  static final String WRONG = "not-the-bmc-password";

  @TempDir static Path state;
  static VmClusterLab lab;
  static NodeShell shell;
  static IpmiPower ipmi;

  @BeforeAll
  static void startTheCluster() throws Exception {
    VmClusterSeed seed;
    try (InputStream in = Files.newInputStream(Path.of("config/lab/vm-cluster.yml"))) {
      seed = VmClusterSeed.read(in);
    }
    LabProperties props = new LabProperties(state, "unused", 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(2),
        "rsync", "ssh", "", "config/lab/vm-cluster.yml");
    lab = new VmClusterLab(seed, props);
    lab.start(0);
    shell = new NodeShell(new SshProperties("root", lab.sshPort(), props.clientKey(), null, null, props.knownHosts(),
        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), null));
    Map<String, String> hosts = new LinkedHashMap<>();
    seed.hosts().forEach(h -> hosts.put(h.name(), h.ip()));
    Kubernetes noApi = new Kubernetes(new KubernetesProperties(null, null, "anyshare", "resource", Duration.ofSeconds(1)),
        new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:9").build()).build());
    ipmi = new IpmiPower(new RemoteCapture(shell, new NodeAddresses(noApi, hosts)));
    shell.exec(shell.target("bastion", lab.ip("bastion")), RemoteCommand.of("tee", "/root/.ipmi/wrong"),
        Duration.ofSeconds(30), (WRONG + "\n").getBytes(StandardCharsets.UTF_8), OutputListener.IGNORE);
  }

  @AfterAll
  static void stopTheCluster() {
    shell.close();
    lab.stop();
  }

  static Map<String, Object> status(String user, String passwordFile) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("on", "bastion");
    params.put("hosts", List.of(List.of("top1", "top2", "top3"), List.of("worker1", "worker2"), List.of("iw1", "iw2")));
    params.put("action", "status");
    params.put("expect", "on");
    params.put("user", user);
    params.put("password_file", passwordFile);
    return params;
  }

  static RecordingStepContext context(Map<String, Object> params) {
    return new RecordingStepContext("preconditions.bmc-credentials", params, Duration.ofMinutes(1),
        new InMemoryUndoRecords());
  }

  @Test
  void everyBmcAnswersWithThePlansCredentialsAndNothingIsPowered() throws Exception {
    RecordingStepContext context = context(status("admin", "/root/.ipmi/password"));

    assertThat(ipmi.execute(context)).isEqualTo("every BMC answers with user admin and /root/.ipmi/password: "
        + "top1 on, top2 on, top3 on, worker1 on, worker2 on, iw1 on, iw2 on");

    assertThat(context.actions()).hasSize(7).allMatch(a -> a.startsWith("bastion: ipmitool -I lanplus -H ")
        && a.endsWith(" -U admin -f /root/.ipmi/password chassis power status"));
    assertThat(context.lines("out")).contains("out bastion: iw2: Chassis Power is on");
    HOSTS.forEach(host -> assertThat(lab.power(host)).as(host).isEqualTo("on"));
    assertThat(String.join("\n", context.log())).doesNotContain(BMC_PASSWORD);
  }

  @Test
  void aWrongUserFailsNamingEveryHostBeforeAnythingIsPowered() {
    RecordingStepContext context = context(status("operator", "/root/.ipmi/password"));

    assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("ipmitool chassis power status failed for 7 of 7 hosts: top1 (BMC top1-bmc, user "
            + "operator, password file /root/.ipmi/password on bastion): exit 1: Error: Unable to establish IPMI v2 / "
            + "RMCP+ session; top2 (BMC top2-bmc")
        .hasMessageEndingWith("nothing was changed");
    HOSTS.forEach(host -> assertThat(lab.power(host)).as(host).isEqualTo("on"));
  }

  @Test
  void aWrongPasswordInTheFileFailsAndNeitherPasswordIsShown() {
    RecordingStepContext context = context(status("admin", "/root/.ipmi/wrong"));

    assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("iw2 (BMC iw2-bmc, user admin, password file /root/.ipmi/wrong on bastion): exit 1: "
            + "Error: Unable to establish IPMI v2 / RMCP+ session")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG).doesNotContain(BMC_PASSWORD));
    assertThat(String.join("\n", context.log())).doesNotContain(WRONG).doesNotContain(BMC_PASSWORD);
  }

  @Test
  void aMissingPasswordFileIsNamed() {
    RecordingStepContext context = context(status("admin", "/root/.ipmi/none"));

    assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("top1 (BMC top1-bmc, user admin, password file /root/.ipmi/none on bastion): exit 1: "
            + "Unable to read password from file /root/.ipmi/none");
  }

  @Test
  void aHostInTheOtherPowerStateFailsExpect() throws Exception {
    shell.exec(shell.target("iw2", lab.ip("iw2")), RemoteCommand.of("poweroff"), Duration.ofSeconds(30),
        OutputListener.IGNORE);
    ipmi.execute(context(Map.of("on", "bastion", "hosts", "iw2", "action", "off")));
    try {
      RecordingStepContext context = context(status("admin", "/root/.ipmi/password"));
      assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
          .hasMessage("ipmitool chassis power status failed for 1 of 7 hosts: iw2 is powered off, expected on; "
              + "nothing was changed");
    } finally {
      ipmi.execute(context(Map.of("on", "bastion", "hosts", "iw2", "action", "on")));
    }
  }

  @Test
  void thePreviewSaysWhatIsAskedAndThatNothingChanges() {
    var preview = ipmi.preview(status("admin", "/root/.ipmi/password"));

    assertThat(preview.actions()).hasSize(8).contains(
        "on bastion: ipmitool -I lanplus -H iw1-bmc -U admin -f /root/.ipmi/password chassis power status",
        "changes nothing: fails naming each host whose BMC does not answer with this user and password file, or whose "
            + "power is not on");
    assertThatThrownBy(() -> ipmi.preview(Map.of("on", "bastion", "hosts", "iw1", "action", "off", "expect", "on")))
        .hasMessage("ipmi.power: param 'expect' goes with action 'status' only");
  }
}
