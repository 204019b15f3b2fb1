package io.lockstep.vmsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading what fleetctl and gluster print, and refusing params before anything runs. */
class ToolOutputTest {

  @Test
  void fleetUnitsAreReadWithTheirHypervisorsAddressAndSubState() {
    var vms = FleetUnits.parse("""
        pcocc-vm-ns1.service     3f1a0c2e.../127.0.20.1  running
        pcocc-vm-batch2.service  -                       -
        pcocc-vm-lnet1.service   9b2c33aa.../127.0.20.5  dead
        sshd.service             3f1a0c2e.../127.0.20.1  running
        """);

    assertThat(vms).containsOnlyKeys("ns1", "batch2", "lnet1");
    assertThat(vms.get("ns1")).isEqualTo(new FleetUnits.Vm("ns1", Optional.of("127.0.20.1"), "running"));
    assertThat(vms.get("batch2").address()).isEmpty();
    assertThat(vms.get("lnet1").running()).isFalse();
  }

  @Test
  void healInfoIsCleanOnlyWhenEveryBrickIsConnectedWithNoEntry() {
    String clean = """
        Brick top1:/gluster/volspoms1/brick
        Status: Connected
        Number of entries: 0

        Brick top2:/gluster/volspoms1/brick
        Status: Connected
        Number of entries: 0
        """;
    assertThat(GlusterVolumes.pending(clean)).isEmpty();
    assertThat(GlusterVolumes.pending(clean.replaceFirst("entries: 0", "entries: 4")))
        .containsExactly("top1:/gluster/volspoms1/brick 4 entries");
    assertThat(GlusterVolumes.pending(clean.replaceFirst("Status: Connected\nNumber of entries: 0",
        "Status: Transport endpoint is not connected\nNumber of entries: -")))
        .containsExactly("top1:/gluster/volspoms1/brick Transport endpoint is not connected");
    assertThat(GlusterVolumes.pending("Volume volspoms1 is not started.")).containsExactly("heal info lists no brick");
  }

  @Test
  void clientsAreListedPerVolumeLeavingOutTheServersSelfHealDaemons() {
    String status = """
        Client connections for volume volspoms1
        ----------------------------------------------
        Brick : top1:/gluster/volspoms1/brick
        Clients connected : 3
        Hostname                                                BytesRead    BytesWritten    OpVersion
        --------                                                ---------    ------------    ---------
        127.0.20.1:1022                                         8000         4000            70200
        127.0.20.5:996                                          12000        6000            70200
        ----------------------------------------------
        """;

    assertThat(GlusterClientsGone.clients(status, Set.of("127.0.20.1"))).containsExactly("volspoms1: 127.0.20.5");
    assertThat(GlusterClientsGone.clients(status, Set.of("127.0.20.1", "127.0.20.5"))).isEmpty();
  }

  @Test
  void paramsAreRefusedWithTheirNamesBeforeAnythingRuns() {
    GlusterVolumes volumes = new GlusterVolumes(null);
    assertThatThrownBy(() -> volumes.preview(Map.of("on", "top1", "volumes", List.of("vol;rm"), "action", "stop")))
        .hasMessage("gluster.volumes: param 'volumes' 'vol;rm' is not a plain name (letters, digits, '-', '_', '.')");
    assertThatThrownBy(() -> volumes.preview(Map.of("on", "top1", "volumes", "v1", "action", "delete")))
        .hasMessage("gluster.volumes: param 'action' is one of stop, start, heal, not 'delete'");
    IpmiPower ipmi = new IpmiPower(null);
    assertThatThrownBy(() -> ipmi.preview(Map.of("on", "bastion", "hosts", "top1", "action", "on",
        "password_file", "relative/pw"))).hasMessageContaining("param 'password_file'");
    assertThat(ipmi.preview(Map.of("on", "bastion", "hosts", List.of("top1", List.of("top2")), "action", "soft")).actions())
        .containsExactly("on bastion: ipmitool -I lanplus -H top1-bmc -U admin -f /root/.ipmi/password chassis power soft",
            "on bastion: ipmitool -I lanplus -H top2-bmc -U admin -f /root/.ipmi/password chassis power soft",
            "then wait, at most 5m, until each BMC says power off (its OS shut down); a host still on then fails the"
                + " step, its power not cut");
    FleetVms stop = new FleetVms.Stop(null);
    assertThatThrownBy(() -> stop.preview(Map.of("on", "top1"))).hasMessageContaining("param 'vms' is missing");
    assertThat(stop.preview(Map.of("on", "top1", "vms", "recorded", "except", List.of("ns1"))).actions().get(0))
        .isEqualTo("on top1: fleetctl stop --no-block pcocc-vm-NAME.service for the VMs recorded by fleet.record-vms"
            + " except ns1");
  }
}
