package io.lockstep.lab.vmcluster;

import static io.lockstep.lab.vmcluster.AVmCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P5's source document, step by step over SSH: the whole cluster down in order, then up again. */
class ClusterRestartOverSshTest {

  static final List<String> HYPERVISORS = List.of("top1", "top2", "top3", "worker1", "worker2");

  @TempDir
  Path state;

  VmClusterLab lab;
  HostClient ssh;

  @BeforeEach
  void start() throws Exception {
    LabProperties props = AVmCluster.props(state);
    lab = new VmClusterLab(AVmCluster.seed(), props);
    lab.start(0);
    ssh = new HostClient(props, lab);
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    lab.stop();
  }

  @Test
  void shutsDownInTheDocumentsOrderAndComesBackWithTheRecordedVms() throws Exception {
    // shutdown (1): record the running VMs
    HostClient.Result units = ssh.exec("top1", "fleetctl list-units --fields unit,sub --no-legend");
    List<String> recorded = units.out().lines().filter(l -> l.endsWith("running")).map(l -> l.split("\\s+")[0]).toList();
    assertThat(recorded).hasSize(10).doesNotContain("pcocc-vm-lnet1.service").contains("pcocc-vm-ns1.service");
    assertThat(ssh.exec("top1", "nodeset -f @vm:running").out()).isEqualTo("admin[1-2],batch[1-3],infra[1-2],ns[1-3]\n");

    // (2) every VM but DNS
    String others = ssh.exec("top1", "nodeset -O pcocc-vm-%s.service -e @vm:running -x ns[1-3]").out().trim();
    assertThat(others.split(" ")).hasSize(7).doesNotContain("pcocc-vm-ns1.service");
    HostClient.Result stop = ssh.exec("top1", "fleetctl stop --no-block " + others);
    assertThat(stop.status()).isZero();
    assertThat(stop.out()).contains("Triggered unit pcocc-vm-admin1.service stop");
    await("all VMs but DNS are dead", () -> lab.vmStates().entrySet().stream()
        .allMatch(e -> e.getKey().startsWith("ns") == e.getValue().equals("running")));

    // (3) DNS
    assertThat(ssh.exec("top1", "fleetctl stop --no-block pcocc-vm-ns1 pcocc-vm-ns2 pcocc-vm-ns3").status()).isZero();
    await("every VM is dead", () -> !lab.vmStates().containsValue("running"));
    assertThat(ssh.exec("top1", "fleetctl list-units --no-legend").out()).doesNotContain("running");

    // (4) islet workers
    assertThat(ssh.exec("top1", "clush -bw @island_worker poweroff").status()).isZero();
    await("iw1 and iw2 are off", () -> lab.power("iw1").equals("off") && lab.power("iw2").equals("off"));
    await("iw1 refuses SSH", () -> !ssh.answers("iw1"));

    // (5) GlusterFS clients
    assertThat(ssh.exec("top1", "clush -bw @top,@worker umount -a -t fuse.glusterfs").status()).isZero();
    HYPERVISORS.forEach(h -> assertThat(lab.mounts(h)).as(h).isEmpty());
    String clients = ssh.exec("top1", "gluster volume status all clients").out();
    assertThat(clients).contains("Clients connected : 3").doesNotContain("Clients connected : 8")
        .doesNotContain(lab.ip("worker1") + ":");

    // (6) volumes, glusterd, leftovers
    for (String volume : List.of("volspoms1", "volspoms2")) {
      HostClient.Result stopped = ssh.exec("top1", "gluster --mode=script volume stop " + volume);
      assertThat(stopped.out()).isEqualTo("volume stop: " + volume + ": success\n");
      assertThat(lab.volumeStarted(volume)).isFalse();
    }
    assertThat(ssh.exec("top1", "clush -bw @top,@worker systemctl stop glusterd").status()).isZero();
    HYPERVISORS.forEach(h -> assertThat(lab.unitActive(h, "glusterd")).as(h).isFalse());
    ssh.exec("top1", "clush -bw @top,@worker pkill glusterfs");
    HostClient.Result none = ssh.exec("top1", "clush -bw @top,@worker pkill glusterfsd");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err()).contains("clush: top[1-3],worker[1-2] (5): exited with exit code 1");
    HYPERVISORS.forEach(h -> assertThat(lab.processes(h)).as(h).isEmpty());

    // (7) the other hypervisors, then this one
    assertThat(ssh.exec("top1", "clush -bw @top,@worker -x top1 poweroff").status()).isZero();
    ssh.exec("top1", "poweroff");
    await("every hypervisor is off", () -> HYPERVISORS.stream().allMatch(h -> lab.power(h).equals("off")));
    await("top1 refuses SSH", () -> !ssh.answers("top1"));
    assertThat(lab.hardPowerCuts()).as("every OS powered its host off itself").isEmpty();

    // startup (1): IPMI from the bastion
    for (String h : HYPERVISORS) {
      HostClient.Result on = ssh.exec("bastion",
          "ipmitool -I lanplus -H " + h + "-bmc -U admin -f /root/.ipmi/password chassis power on");
      assertThat(on.out()).isEqualTo("Chassis Power Control: Up/On\n");
    }
    await("every hypervisor answers", () -> HYPERVISORS.stream().allMatch(ssh::answers));
    assertThat(lab.unitActive("top1", "glusterd")).isTrue();
    assertThat(lab.unitActive("top1", "fleet")).isFalse();

    // (2) peers and latency
    HostClient.Result peers = ssh.exec("top1", "gluster peer status");
    assertThat(peers.out()).startsWith("Number of Peers: 4\n").doesNotContain("Disconnected");
    HostClient.Result ping = ssh.exec("top1", "fping -e top1 top2 top3 worker1 worker2");
    assertThat(ping.status()).isZero();
    assertThat(ping.out().lines()).hasSize(5).allMatch(l -> l.contains(" is alive ("));

    // (3) volumes and heal
    for (String volume : List.of("volspoms1", "volspoms2")) {
      assertThat(ssh.exec("top1", "gluster volume start " + volume).out()).isEqualTo("volume start: " + volume + ": success\n");
      assertThat(lab.pendingHeal(volume)).isPositive();
      assertThat(ssh.exec("top1", "gluster volume heal " + volume).status()).isZero();
    }
    await("heal info is clean", () -> lab.pendingHeal("volspoms1") == 0 && lab.pendingHeal("volspoms2") == 0);
    assertThat(ssh.exec("top1", "gluster volume heal volspoms1 info").out())
        .contains("Status: Connected\nNumber of entries: 0").doesNotContain("Number of entries: 1");

    // (4) islet workers
    assertThat(ssh.exec("top1", "nodectrl poweron @island_worker").out()).contains("iw1: Chassis Power Control: Up/On");
    await("islet workers answer", () -> ssh.answers("iw1") && ssh.answers("iw2"));

    // (5) fleet everywhere
    HostClient.Result fleet = ssh.exec("top1", "clush -bw @top,@worker,@island_worker \"systemctl start fleet\"");
    assertThat(fleet.status()).isZero();
    assertThat(lab.unitActive("iw2", "fleet")).isTrue();

    // (6) DHCP, DNS, then the recorded VMs
    assertThat(ssh.exec("top1", "fleetctl start --no-block pcocc-vm-infra1 pcocc-vm-infra2").status()).isZero();
    await("DHCP runs", () -> lab.vmRunning("infra1") && lab.vmRunning("infra2"));
    assertThat(ssh.exec("top1", "fleetctl start pcocc-vm-ns1 pcocc-vm-ns2 pcocc-vm-ns3").out())
        .contains("Unit pcocc-vm-ns1.service launched on ");
    assertThat(lab.vmRunning("ns3")).isTrue();
    assertThat(ssh.exec("top1", "fleetctl start --no-block " + String.join(" ", recorded)).status()).isZero();
    await("every recorded VM runs", () -> recorded.stream()
        .allMatch(u -> lab.vmRunning(u.substring("pcocc-vm-".length(), u.length() - ".service".length()))));
    Map<String, String> states = lab.vmStates();
    assertThat(states.get("lnet1")).isEqualTo("dead");
    assertThat(Arrays.stream(ssh.exec("top1", "nodeset -e @vm:running").out().trim().split(" "))).hasSize(10);
  }
}
