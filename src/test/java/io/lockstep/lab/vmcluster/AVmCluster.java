package io.lockstep.lab.vmcluster;

import io.lockstep.lab.LabProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Object mother for the VM management cluster: the shipped seed, properties in a temp dir. */
final class AVmCluster {

  private AVmCluster() {}

  static VmClusterSeed seed() {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/vm-cluster.yml"))) {
      return VmClusterSeed.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped seed with another shutdown time (milliseconds from poweroff until the host is off). */
  static VmClusterSeed seedShuttingDownIn(long millis) {
    VmClusterSeed s = seed();
    VmClusterSeed.Timing t = s.timing();
    return new VmClusterSeed(s.rootPassword(), s.bmc(), new VmClusterSeed.Timing(t.vmStateChange(), t.boot(), t.heal(),
        millis), s.hosts(), s.groups(), s.units(), s.vms(), s.volumes());
  }

  static LabProperties props(Path stateDir) {
    return new LabProperties(stateDir, "unused", 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), "rsync", "ssh",
        "", "config/lab/vm-cluster.yml");
  }

  /** A started cluster on a free port. */
  static VmClusterLab started(Path stateDir) {
    VmClusterLab lab = new VmClusterLab(seed(), props(stateDir));
    lab.start(0);
    return lab;
  }

  /** Waits up to 10 s for a condition; fails with the message otherwise. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(25);
    }
  }
}
