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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipmi.power} with {@code action: off} (and {@code soft}) against the lab's management
 * cluster over real SSH, its hosts taking 1.5 s to shut down after poweroff (SSH answering, the
 * BMC saying on meanwhile): the power is cut only once each host's OS is down, each host declared
 * down before its cut; a host whose shutdown hangs fails the step by name and nobody's power is
 * cut. The lab records every power cut of a running OS, so a premature cut cannot go unseen.
 */
class IpmiPowerOffOnTheLabTest {

  @TempDir static Path state;
  static VmClusterLab lab;
  static NodeShell shell;
  static IpmiPower ipmi;

  @BeforeAll
  static void startTheCluster() throws Exception {
    VmClusterSeed shipped;
    try (InputStream in = Files.newInputStream(Path.of("config/lab/vm-cluster.yml"))) {
      shipped = VmClusterSeed.read(in);
    }
    VmClusterSeed.Timing t = shipped.timing();
    VmClusterSeed seed = new VmClusterSeed(shipped.rootPassword(), shipped.bmc(),
        new VmClusterSeed.Timing(t.vmStateChange(), 200L, t.heal(), 1_500L), shipped.hosts(), shipped.groups(),
        shipped.units(), shipped.vms(), shipped.volumes());
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
  }

  @AfterEach
  void reset() {
    lab.reset();
  }

  @AfterAll
  static void stopTheCluster() {
    shell.close();
    lab.stop();
  }

  static void poweroff(String host) {
    shell.exec(shell.target(host, lab.ip(host)), RemoteCommand.of("poweroff"), Duration.ofSeconds(30),
        OutputListener.IGNORE);
  }

  static RecordingStepContext context(String action, List<String> hosts, String downWithin) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("on", "bastion");
    params.put("hosts", hosts);
    params.put("action", action);
    params.put("down_within", downWithin);
    return new RecordingStepContext("power-off.others-off", params, Duration.ofMinutes(1), new InMemoryUndoRecords());
  }

  static int indexOf(List<String> actions, String prefix) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no action starting with '" + prefix + "' in " + actions);
  }

  @Test
  void offWaitsUntilEachOsIsDownAndDeclaresItBeforeItsPowerIsCut() throws Exception {
    poweroff("top2");
    poweroff("worker1");
    assertThat(lab.power("top2")).as("shutting down while the step starts").isEqualTo("stopping");
    RecordingStepContext context = context("off", List.of("top2", "worker1"), "1m");

    assertThat(ipmi.execute(context)).isEqualTo("2 hosts powered off: top2, worker1");

    assertThat(lab.hardPowerCuts()).as("no running OS had its power cut").isEmpty();
    List<String> actions = context.actions();
    for (String host : List.of("top2", "worker1")) {
      int down = indexOf(actions, host + " down (no SSH answer since ");
      int cut = indexOf(actions, "bastion: ipmitool -I lanplus -H " + host + "-bmc -U admin -f /root/.ipmi/password"
          + " chassis power off");
      assertThat(down).as(host + " down before its power is cut").isLessThan(cut);
      assertThat(actions.get(down)).endsWith(", its BMC says power off)");
      assertThat(lab.power(host)).isEqualTo("off");
    }
  }

  @Test
  void aHostThatNeverGoesDownIsNotPoweredOffAndTheStepNamesIt() throws Exception {
    lab.hangShutdown("worker2");
    poweroff("worker2");
    poweroff("iw1");
    RecordingStepContext context = context("off", List.of("iw1", "worker2", "top3"), "4s");

    assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("2 of 3 hosts not down within 4s: worker2 still answers over SSH: its OS is running or still"
            + " shutting down; top3 still answers over SSH: its OS is running or still shutting down. No power was"
            + " cut (down: iw1); cutting the power of a running OS would be a hard power cut: find out why it does"
            + " not shut down");

    assertThat(context.actions()).as("no chassis power off went out").noneMatch(a -> a.contains("chassis power off"))
        .anyMatch(a -> a.startsWith("iw1 down (no SSH answer since "));
    assertThat(lab.power("worker2")).isEqualTo("stopping");
    assertThat(lab.power("top3")).isEqualTo("on");
    assertThat(lab.hardPowerCuts()).isEmpty();
  }

  // BROKE (fixed: every host is asked over SSH again right before the cut): iw1, found down first,
  // was powered on again while top3 was awaited, and its running OS had its power cut.
  @Test
  void aHostThatComesBackUpWhileOthersAreAwaitedIsNotCut() throws Exception {
    poweroff("iw1");
    RecordingStepContext context = context("off", List.of("iw1", "top3"), "1m");
    java.util.concurrent.CompletableFuture<String> step = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return ipmi.execute(context);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> List.copyOf(context.actions()).stream().anyMatch(a -> a.startsWith("iw1 down (")));
    shell.exec(shell.target("bastion", lab.ip("bastion")), RemoteCommand.of("ipmitool", "-I", "lanplus", "-H", "iw1-bmc",
        "-U", "admin", "-f", "/root/.ipmi/password", "chassis", "power", "on"), Duration.ofSeconds(30), OutputListener.IGNORE);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lab.power("iw1").equals("on"));
    poweroff("top3");

    assertThatThrownBy(() -> step.get(1, java.util.concurrent.TimeUnit.MINUTES))
        .hasCauseInstanceOf(StepFailedException.class)
        .hasMessageContaining("iw1 answers over SSH again after it was found down").hasMessageContaining("No power was cut");
    assertThat(lab.hardPowerCuts()).as("no running OS had its power cut").isEmpty();
    assertThat(lab.power("iw1")).isEqualTo("on");
  }

  @Test
  void aSoftPowerOffWhoseOsDoesNotShutDownFailsWithoutCuttingPower() {
    lab.hangShutdown("iw2");
    RecordingStepContext context = context("soft", List.of("iw2"), "3s");

    assertThatThrownBy(() -> ipmi.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("still powered on 3s after the ACPI soft power off: iw2; the OS did not shut down");
    assertThat(lab.power("iw2")).isEqualTo("stopping");
    assertThat(lab.hardPowerCuts()).isEmpty();
  }

  @Test
  void thePreviewSaysItWaitsForTheOsAndTheWaitsGoWithPowerOffOnly() {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("on", "bastion", "hosts", "top2", "action", "off",
        "down_within", "2m", "silent_for", "20s"));
    assertThat(ipmi.preview(params).actions()).containsExactly(
        "first wait, at most 2m, until each host's OS is down: no SSH answer and its BMC says power off, or no SSH"
            + " answer for 20s; a host still up then fails the step and no power is cut",
        "on bastion: ipmitool -I lanplus -H top2-bmc -U admin -f /root/.ipmi/password chassis power off",
        "then wait until each BMC says power off");
    assertThatThrownBy(() -> ipmi.preview(Map.of("on", "bastion", "hosts", "top2", "action", "on", "down_within", "2m")))
        .hasMessage("ipmi.power: param 'down_within' goes with action 'off' or 'soft' only");
    assertThatThrownBy(() -> ipmi.preview(Map.of("on", "bastion", "hosts", "top2", "action", "soft", "silent_for", "2m")))
        .hasMessage("ipmi.power: param 'silent_for' goes with action 'off' only");
  }
}
