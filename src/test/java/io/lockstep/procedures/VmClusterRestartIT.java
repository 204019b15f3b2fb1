package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabPlatform;
import io.lockstep.lab.vmcluster.VmClusterLab;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * P5 on the lab's management cluster (config/lab/vm-cluster.yml), SSH only: the whole shutdown
 * and startup with two users approving every phase, a stuck VM recovered on the way; the end
 * state read from the lab; the order of the VM, volume and power actions read back from the audit
 * trail, each host declared down there before its power is cut, and no hard power cut in the lab.
 * And the ways the run stops for investigation: a GlusterFS client still connected before the
 * volumes stop, one mounted outside the cluster (refused before any VM stops), a slow peer.
 */
class VmClusterRestartIT extends LabConsoleTest {

  static final Duration RUN = Duration.ofMinutes(5);
  static final List<String> HYPERVISORS = List.of("top1", "top2", "top3", "worker1", "worker2");
  static final List<String> RECORDED = List.of("ns1", "ns2", "ns3", "infra1", "infra2", "admin1", "admin2", "batch1",
      "batch2", "batch3");

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final VmClusterLab lab;
  private final NodeShell shell;

  @Autowired
  VmClusterRestartIT(@Value("${local.server.port}") int port, ObjectMapper json, LabPlatform platform, NodeShell shell) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.lab = platform.vmCluster().orElseThrow();
    this.shell = shell;
  }

  @BeforeEach
  @AfterEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  static String values(Map<String, String> overrides) {
    Map<String, String> values = new java.util.LinkedHashMap<>(Map.of(
        "top", "top1", "top_hypervisors", "top1, top2, top3", "worker_hypervisors", "worker1, worker2",
        "islet_workers", "iw1, iw2", "workstation", "bastion", "dns_vms", "ns1, ns2, ns3",
        "dhcp_vms", "infra1, infra2", "volumes", "volspoms1, volspoms2"));
    values.putAll(overrides);
    return values.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
        .collect(Collectors.joining(",", "{", "}"));
  }

  @Test
  void p5ShutsTheClusterDownInTheSeedsOrderAndBringsBackEveryRecordedVm() {
    lab.makeStuck("batch2");
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 restart",
        values(Map.of("max_latency", "200ms", "vm_stop_wait", "3s")));
    run.approveAll();
    run.untilWaitingAt(RUN, "power-off.confirm-top-off");

    assertThat(lab.vmStates()).as("every VM down").allSatisfy((vm, state) -> assertThat(state).isNotEqualTo("running"));
    assertThat(lab.volumeStarted("volspoms1")).isFalse();
    assertThat(lab.volumeStarted("volspoms2")).isFalse();
    for (String host : List.of("top2", "top3", "worker1", "worker2", "iw1", "iw2")) {
      assertThat(lab.power(host)).as(host).isEqualTo("off");
    }
    assertThat(lab.power("top1")).as("the top hypervisor goes last").isEqualTo("on");
    assertThat(lab.hardPowerCuts()).as("no host's power was cut while its OS ran").isEmpty();

    assertThat(run.until(RUN)).as(run.message()).isEqualTo("SUCCEEDED");
    for (String host : List.of("top1", "top2", "top3", "worker1", "worker2", "iw1", "iw2")) {
      assertThat(lab.power(host)).as(host).isEqualTo("on");
      assertThat(lab.unitActive(host, "fleet")).as("fleet on " + host).isTrue();
    }
    for (String vm : RECORDED) {
      assertThat(lab.vmRunning(vm)).as(vm).isTrue();
    }
    assertThat(lab.vmRunning("lnet1")).as("not running before, so not started").isFalse();
    for (String volume : List.of("volspoms1", "volspoms2")) {
      assertThat(lab.volumeStarted(volume)).as(volume).isTrue();
      assertThat(lab.pendingHeal(volume)).as(volume + " healed").isZero();
    }
    for (String host : HYPERVISORS) {
      assertThat(lab.mounts(host)).as("GlusterFS mounted on " + host).contains("/mnt/volspoms1", "/mnt/volspoms2");
    }
    assertThat(run.step("stop-vms.stop-vms").get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(String.join("\n", log(run.runId))).contains("stuck, applying the remedy: batch2");

    List<String> actions = run.auditedActions();
    assertThat(actions).as("the password stays in its file").noneMatch(a -> a.contains("lab-ipmi-secret"));
    assertThat(lab.hardPowerCuts()).as("no host's power was cut while its OS ran").isEmpty();
    for (String host : List.of("iw1", "iw2", "top2", "top3", "worker1", "worker2")) {
      String step = host.startsWith("iw") ? "stop-storage.islets-off " : "power-off.others-off ";
      int down = indexOf(actions, step + host + " down (no SSH answer since ");
      int cut = actions.indexOf(step + "bastion: ipmitool -I lanplus -H " + host + "-bmc -U admin -f /root/.ipmi/password"
          + " chassis power off");
      assertThat(cut).as("the power of " + host + " is cut").isPositive();
      assertThat(down).as(host + " is audited down before its power is cut").isLessThan(cut);
    }
    assertThat(actions).containsSubsequence(
        "power-off.top-off bastion: ipmitool -I lanplus -H top1-bmc -U admin -f /root/.ipmi/password chassis power soft",
        "power-off.top-off top1 down (its BMC says power off after the ACPI soft power off)");
    assertThat(actions).noneMatch(a -> a.contains("-H top1-bmc") && a.endsWith("chassis power off"));
    assertThat(actions).containsSubsequence(
        "preconditions.no-outside-clients top1: gluster volume status all clients (no client but those of top1, top2,"
            + " top3, worker1, worker2, iw1, iw2)",
        "stop-vms.no-outside-clients top1: gluster volume status all clients (no client but those of top1, top2,"
            + " top3, worker1, worker2, iw1, iw2)",
        "stop-vms.record top1: fleetctl list-units --fields unit,machine,sub --no-legend",
        "stop-vms.stop-vms top1: fleetctl stop --no-block pcocc-vm-infra1.service pcocc-vm-infra2.service"
            + " pcocc-vm-admin1.service pcocc-vm-admin2.service pcocc-vm-batch1.service pcocc-vm-batch2.service"
            + " pcocc-vm-batch3.service",
        "stop-vms.stop-vms worker2: systemctl stop fleet",
        "stop-vms.stop-vms top1: fleetctl stop --no-block pcocc-vm-batch2.service",
        "stop-vms.stop-vms worker2: systemctl start fleet",
        "stop-vms.stop-dns top1: fleetctl stop --no-block pcocc-vm-ns1.service pcocc-vm-ns2.service pcocc-vm-ns3.service",
        "stop-storage.islets-poweroff top1: clush -bw @island_worker poweroff",
        "stop-storage.unmount top1: clush -bw @top,@worker umount -a -t fuse.glusterfs",
        "stop-storage.no-clients top1: gluster volume status all clients (until no client is connected)",
        "stop-storage.stop-volumes top1: gluster --mode=script volume stop volspoms1",
        "stop-storage.stop-volumes top1: gluster --mode=script volume stop volspoms2",
        "stop-storage.stop-glusterd top1: clush -bw @top,@worker systemctl stop glusterd",
        "power-off.others-poweroff top1: clush -bw @top,@worker -x top1 poweroff",
        "power-off.top-off bastion: ipmitool -I lanplus -H top1-bmc -U admin -f /root/.ipmi/password chassis power soft",
        "start-storage.power-on bastion: ipmitool -I lanplus -H top1-bmc -U admin -f /root/.ipmi/password chassis power on",
        "start-storage.start-volumes top1: gluster volume start volspoms1",
        "start-storage.start-volumes top1: gluster volume start volspoms2",
        "start-storage.heal top1: gluster volume heal volspoms1",
        "start-storage.islets-on bastion: ipmitool -I lanplus -H iw1-bmc -U admin -f /root/.ipmi/password chassis power on",
        "start-vms.start-fleet top1: clush -bw @top,@worker,@island_worker systemctl start fleet",
        "start-vms.start-dhcp top1: fleetctl start --no-block pcocc-vm-infra1.service pcocc-vm-infra2.service",
        "start-vms.start-dns top1: fleetctl start --no-block pcocc-vm-ns1.service pcocc-vm-ns2.service pcocc-vm-ns3.service",
        "start-vms.start-recorded top1: fleetctl start --no-block " + RECORDED.stream().map(v -> "pcocc-vm-" + v + ".service")
            .collect(Collectors.joining(" ")));
  }

  @Test
  void aGlusterClientStillConnectedStopsTheRunBeforeAnyVolumeStops() {
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 client left",
        values(Map.of("clush_hypervisors", "@top,worker1", "client_wait", "3s")));
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");
      assertThat(run.stepState("stop-storage.no-clients")).isEqualTo("FAILED");
      assertThat(run.message()).contains("GlusterFS clients still connected after 3s: volspoms1: 127.0.20.5 (worker2),"
          + " volspoms2: 127.0.20.5 (worker2)");
      assertThat(lab.volumeStarted("volspoms1")).as("no volume stopped").isTrue();
      assertThat(run.stepState("stop-storage.stop-volumes")).isEqualTo("PENDING");
    } finally {
      run.abort();
    }
  }

  @Test
  void aClientMountedOutsideTheClusterIsRefusedInTheFirstPhase() {
    mountOnTheWorkstation("volspoms2");
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 stray client early", values(Map.of()));
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");
      assertThat(run.stepState("preconditions.no-outside-clients")).isEqualTo("FAILED");
      assertThat(run.message()).contains("GlusterFS clients connected from outside top1, top2, top3, worker1, worker2,"
          + " iw1, iw2: volspoms2: 127.0.20.10 (bastion)");
      assertThat(lab.vmStates()).as("no VM stopped").containsAllEntriesOf(Map.of("admin1", "running", "ns1", "running"));
    } finally {
      run.abort();
    }
  }

  @Test
  void aClientMountedOutsideTheClusterAfterTheFirstPhaseIsRefusedBeforeAnyVmStops() {
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 stray client",
        values(Map.of("max_latency", "200ms")));
    run.approveUpTo("preconditions");
    try {
      run.until(RUN, () -> run.stepState("preconditions.no-outside-clients").equals("SUCCEEDED"),
          "the first phase's client check passed");
      mountOnTheWorkstation("volspoms1");
      run.approveAll();

      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");
      assertThat(run.stepState("stop-vms.no-outside-clients")).isEqualTo("FAILED");
      assertThat(run.message()).contains("GlusterFS clients connected from outside top1, top2, top3, worker1, worker2,"
          + " iw1, iw2: volspoms1: 127.0.20.10 (bastion); this run does not unmount them");
      assertThat(run.stepState("stop-vms.record")).isEqualTo("PENDING");
      assertThat(lab.vmStates()).as("every VM still runs").allSatisfy((vm, state) ->
          assertThat(state).as(vm).isEqualTo(vm.equals("lnet1") ? "dead" : "running"));
    } finally {
      run.abort();
    }
  }

  @Test
  void aSlowPeerStopsTheRunForInvestigationBeforeAnythingIsStopped() {
    lab.slowPeer("top2", Duration.ofMillis(800));
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 slow peer", values(Map.of()));
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");
      assertThat(run.stepState("preconditions.latency")).isEqualTo("FAILED");
      assertThat(run.message()).contains("top2 answered in 800 ms, more than 100 ms");
      assertThat(lab.vmRunning("admin1")).as("nothing stopped").isTrue();
    } finally {
      run.abort();
    }
  }

  /** The workstation mounts a volume by hand, as an engineer might to read a file: a client outside the cluster. */
  private void mountOnTheWorkstation(String volume) {
    var bastion = shell.target("bastion", lab.ip("bastion"));
    for (RemoteCommand command : List.of(RemoteCommand.of("mkdir", "-p", "/mnt/" + volume),
        RemoteCommand.of("mount", "-t", "glusterfs", "top1:/" + volume, "/mnt/" + volume))) {
      ExecResult result = shell.exec(bastion, command, Duration.ofSeconds(30), OutputListener.IGNORE);
      assertThat(result.exitStatus()).as(command.toString()).isZero();
    }
  }

  private static int indexOf(List<String> actions, String prefix) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no audited action starting with '" + prefix + "' in " + actions);
  }

  private List<String> log(String runId) {
    List<String> lines = new ArrayList<>();
    console.getAs("op1", ProcedureRun.PW, "/api/runs/" + runId + "/log.txt").body().lines().forEach(lines::add);
    return lines;
  }
}
