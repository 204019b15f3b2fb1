package io.lockstep.lab.node;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Object mother for the lab: the shipped seed with a small data size, properties in a temp dir. */
final class ALab {

  static final String ROOT_PASSWORD = "lab-root-secret";

  private ALab() {}

  /** The seed of {@code config/lab/platform.yml} with {@code dataSize} instead of its own. */
  static LabSeed seed(String dataSize) {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      LabSeed s = LabSeed.read(in);
      LabSeed.Platform p = s.platform();
      LabSeed.Platform small = new LabSeed.Platform(p.version(), p.rootPassword(), p.appNamespace(),
          p.resourceNamespace(), p.protonNamespace(), p.diskPerNode(), dataSize);
      return new LabSeed(small, s.nodes(), s.units(), s.etcdUnits(), s.components(), s.hostServices(),
          s.operatorDeployments(), s.apps(), s.kubeSystem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lab properties in {@code stateDir}, SSH on a free port, the machine's rsync and ssh. */
  static LabProperties props(Path stateDir) {
    return new LabProperties(stateDir, "unused", 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), "rsync", "ssh");
  }
}
