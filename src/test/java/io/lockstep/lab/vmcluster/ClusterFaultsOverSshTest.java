package io.lockstep.lab.vmcluster;

import static io.lockstep.lab.vmcluster.AVmCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oddities P5's source document warns about, and the cluster's state across lab restarts. */
class ClusterFaultsOverSshTest {

  @TempDir
  Path state;

  LabProperties props;
  VmClusterLab lab;
  HostClient ssh;

  @BeforeEach
  void start() throws Exception {
    props = AVmCluster.props(state);
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
  void aStuckVmStopsOnlyOnceFleetOnItsHypervisorWasStopped() throws Exception {
    lab.makeStuck("batch1");
    assertThat(ssh.exec("top1", "fleetctl stop --no-block pcocc-vm-batch1").status()).isZero();
    Thread.sleep(600);
    assertThat(lab.vmRunning("batch1")).isTrue();
    assertThat(ssh.exec("top1", "fleetctl list-units --fields unit,sub --no-legend").out())
        .containsPattern("pcocc-vm-batch1.service\\s+running");

    assertThat(ssh.exec("top1", "clush -bw worker1 systemctl stop fleet").status()).isZero();
    assertThat(ssh.exec("worker1", "fleetctl list-units").status()).isEqualTo(1);
    assertThat(ssh.exec("top1", "fleetctl stop --no-block pcocc-vm-batch1").status()).isZero();
    Thread.sleep(400);
    assertThat(lab.vmRunning("batch1")).as("fleet on worker1 is down: nothing changes yet").isTrue();
    assertThat(ssh.exec("top1", "clush -bw worker1 systemctl start fleet").status()).isZero();
    await("batch1 is dead", () -> !lab.vmRunning("batch1"));
    assertThat(lab.vmRunning("infra1")).isTrue();
  }

  @Test
  void clushReportsAHostThatIsDownAndExitsNonZero() throws Exception {
    assertThat(ssh.exec("top1", "clush -bw top3 poweroff").status()).isZero();
    await("top3 is off", () -> lab.power("top3").equals("off"));
    await("top3 refuses SSH", () -> !ssh.answers("top3"));
    assertThat(lab.vmRunning("ns3")).isFalse();
    assertThat(lab.mounts("top3")).isEmpty();

    HostClient.Result result = ssh.exec("top1", "clush -bw @top hostname");
    assertThat(result.status()).isEqualTo(255);
    assertThat(result.out()).isEqualTo("---------------\ntop1\n---------------\ntop1\n---------------\ntop2\n---------------\ntop2\n");
    assertThat(result.err()).contains("top3: ssh: connect to host top3 port 22: Connection refused")
        .contains("clush: top3: exited with exit code 255");
    assertThat(ssh.exec("top1", "gluster peer status").out()).contains("Hostname: top3\nUuid: ")
        .contains("State: Peer in Cluster (Disconnected)");
    assertThat(ssh.exec("top1", "fping top3").out()).isEqualTo("top3 is unreachable\n");
  }

  @Test
  void fpingWaitsForASlowPeerAndShowsItsLatency() throws Exception {
    lab.slowPeer("top2", Duration.ofMillis(800));
    long before = System.nanoTime();
    HostClient.Result ping = ssh.exec("top1", "fping -e top1 top2 top3");
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(ping.status()).isZero();
    assertThat(ping.out()).contains("top2 is alive (800 ms)").containsPattern("top1 is alive \\(0\\.\\d\\d ms\\)");
  }

  @Test
  void aPoweredOffHostComesBackThroughIpmiWithGlusterdButNeitherFleetNorMounts() throws Exception {
    ssh.exec("worker2", "poweroff");
    await("worker2 is off", () -> lab.power("worker2").equals("off"));
    await("worker2 refuses SSH", () -> !ssh.answers("worker2"));
    String ipmi = "ipmitool -I lanplus -H worker2-bmc -U admin -f /root/.ipmi/password chassis power ";
    assertThat(ssh.exec("bastion", ipmi + "status").out()).isEqualTo("Chassis Power is off\n");

    HostClient.Result wrong = ssh.exec("bastion", "echo nope > /tmp/pw && ipmitool -I lanplus -H worker2-bmc -U admin -f /tmp/pw chassis power on");
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.err()).contains("Unable to establish IPMI v2 / RMCP+ session").doesNotContain("lab-ipmi-secret");
    assertThat(lab.power("worker2")).isEqualTo("off");

    assertThat(ssh.exec("bastion", ipmi + "on").out()).isEqualTo("Chassis Power Control: Up/On\n");
    await("worker2 answers", () -> ssh.answers("worker2"));
    assertThat(lab.unitActive("worker2", "glusterd")).isTrue();
    assertThat(lab.unitActive("worker2", "fleet")).isFalse();
    assertThat(lab.mounts("worker2")).isEmpty();
    assertThat(lab.volumeStarted("volspoms1")).isTrue();
    assertThat(ssh.exec("worker2", "mount -a -t fuse.glusterfs && mount -t fuse.glusterfs").out())
        .contains("top1:/volspoms1 on /mnt/volspoms1 type fuse.glusterfs");
    assertThat(lab.mounts("worker2")).containsExactly("/mnt/volspoms1", "/mnt/volspoms2");
  }

  @Test
  void volumeStopAsksFirstStopsDespiteClientsAndHealInfoIsPendingUntilHealed() throws Exception {
    HostClient.Result refused = ssh.exec("top1", "gluster volume stop volspoms1", "n\n");
    assertThat(refused.out()).startsWith(Gluster.STOP_QUESTION);
    assertThat(lab.volumeStarted("volspoms1")).isTrue();

    HostClient.Result stopped = ssh.exec("top1", "gluster volume stop volspoms1", "y\n");
    assertThat(stopped.out()).endsWith("volume stop: volspoms1: success\n");
    assertThat(lab.volumeStarted("volspoms1")).as("mounted clients do not prevent the stop").isFalse();

    ssh.exec("top1", "gluster volume start volspoms1");
    assertThat(ssh.exec("top1", "gluster volume heal volspoms1 info").out()).containsPattern("Number of entries: [1-9]");
    ssh.exec("top1", "gluster volume heal volspoms1");
    await("heal info is clean", () -> lab.pendingHeal("volspoms1") == 0);
    assertThat(ssh.exec("top1", "gluster volume heal volspoms1 info").out()).doesNotContainPattern("Number of entries: [1-9]");
  }

  @Test
  void glusterFailsWhereGlusterdIsDown() throws Exception {
    ssh.exec("top2", "systemctl stop glusterd");
    HostClient.Result result = ssh.exec("top2", "gluster volume list");
    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err()).contains("Connection failed. Please check if gluster daemon is operational.");
    assertThat(lab.processes("top2")).as("bricks outlive glusterd").contains("glusterfsd:volspoms1");
  }

  @Test
  void theStateSurvivesARestartOfTheLabAndAResetRestoresTheSeed() throws Exception {
    ssh.exec("top1", "fleetctl stop pcocc-vm-admin1");
    ssh.exec("top1", "clush -bw iw1 poweroff");
    ssh.close();
    lab.stop();

    lab = new VmClusterLab(AVmCluster.seed(), props);
    lab.start(0);
    ssh = new HostClient(props, lab);
    assertThat(lab.vmRunning("admin1")).isFalse();
    await("iw1's shutdown, under way when the lab stopped, ends", () -> lab.power("iw1").equals("off"));
    await("iw1 refuses SSH", () -> !ssh.answers("iw1"));
    assertThat(ssh.exec("top1", "nodeset -ll -s vm").out()).contains("@vm:stopped admin1,lnet1");

    lab.reset();
    assertThat(lab.vmRunning("admin1")).isTrue();
    assertThat(lab.power("iw1")).isEqualTo("on");
    assertThat(ssh.answers("iw1")).isTrue();
  }

  @Test
  void poweroffTakesTheShutdownTimeDuringWhichSshAnswersAndTheBmcSaysOn() throws Exception {
    ssh.close();
    lab.stop();
    lab = new VmClusterLab(AVmCluster.seedShuttingDownIn(4_000), props);
    lab.start(0);
    ssh = new HostClient(props, lab);
    String ipmi = "ipmitool -I lanplus -H worker1-bmc -U admin -f /root/.ipmi/password chassis power ";
    assertThat(ssh.exec("top1", "clush -bw worker1 poweroff").status()).isZero();

    assertThat(lab.power("worker1")).as("the OS shuts down").isEqualTo("stopping");
    assertThat(ssh.exec("worker1", "hostname").out()).isEqualTo("worker1\n");
    assertThat(ssh.exec("bastion", ipmi + "status").out()).isEqualTo("Chassis Power is on\n");
    await("worker1 has halted and is off", () -> lab.power("worker1").equals("off"));
    await("worker1 refuses SSH", () -> !ssh.answers("worker1"));
    assertThat(ssh.exec("bastion", ipmi + "status").out()).isEqualTo("Chassis Power is off\n");

    assertThat(ssh.exec("bastion", ipmi + "off").out()).isEqualTo("Chassis Power Control: Down/Off\n");
    assertThat(lab.hardPowerCuts()).as("cutting a host that is off already cuts nothing").isEmpty();
  }

  @Test
  void aPowerCutWhileTheOsShutsDownIsRecordedAsAHardCut() throws Exception {
    lab.hangShutdown("worker1");
    assertThat(ssh.exec("worker1", "poweroff").status()).isZero();
    Thread.sleep(600); // twice the seed's shutdown time: a shutdown that does not hang is over
    assertThat(lab.power("worker1")).as("its shutdown hangs").isEqualTo("stopping");
    assertThat(ssh.answers("worker1")).isTrue();

    assertThat(ssh.exec("bastion", "ipmitool -I lanplus -H worker1-bmc -U admin -f /root/.ipmi/password chassis"
        + " power off").out()).isEqualTo("Chassis Power Control: Down/Off\n");
    assertThat(lab.power("worker1")).isEqualTo("off");
    assertThat(lab.hardPowerCuts()).singleElement().asString().startsWith("worker1 at ").endsWith("(OS was stopping)");
    await("worker1 refuses SSH", () -> !ssh.answers("worker1"));
  }

  @Test
  void aSoftPowerOffShutsTheOsDownAndCutsNothing() throws Exception {
    String ipmi = "ipmitool -I lanplus -H iw2-bmc -U admin -f /root/.ipmi/password chassis power ";
    assertThat(ssh.exec("bastion", ipmi + "soft").out()).isEqualTo("Chassis Power Control: Soft\n");
    assertThat(lab.power("iw2")).isEqualTo("stopping");
    await("iw2 is off", () -> lab.power("iw2").equals("off"));
    assertThat(lab.hardPowerCuts()).isEmpty();

    lab.reset();
    assertThat(ssh.exec("bastion", ipmi + "off").status()).isZero();
    assertThat(lab.hardPowerCuts()).singleElement().asString().startsWith("iw2 at ").endsWith("(OS was on)");
  }

  @Test
  void aWorkstationMountingAVolumeIsAGlusterClientOutsideTheCluster() throws Exception {
    HostClient.Result mounted = ssh.exec("bastion", "mkdir -p /mnt/volspoms1 && mount -t glusterfs top1:/volspoms1 /mnt/volspoms1"
        + " && mount -t fuse.glusterfs");
    assertThat(mounted.status()).as(mounted.err()).isZero();
    assertThat(mounted.out()).contains("top1:/volspoms1 on /mnt/volspoms1 type fuse.glusterfs");
    assertThat(ssh.exec("top1", "gluster volume status volspoms1 clients").out()).contains(lab.ip("bastion") + ":");
    assertThat(ssh.exec("bastion", "mount -t glusterfs top1:/nope /mnt/volspoms1").status()).isEqualTo(32);
    assertThat(ssh.exec("bastion", "mount -t glusterfs top1:/volspoms2 /mnt/volspoms2").err())
        .contains("/mnt/volspoms2: mount point does not exist.");

    assertThat(ssh.exec("bastion", "umount /mnt/volspoms1").status()).isZero();
    assertThat(ssh.exec("top1", "gluster volume status volspoms1 clients").out()).doesNotContain(lab.ip("bastion") + ":");
  }
}
