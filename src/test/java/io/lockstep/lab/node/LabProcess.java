package io.lockstep.lab.node;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.vmcluster.VmClusterLab;
import io.lockstep.lab.vmcluster.VmClusterSeed;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The lab's Kubernetes API, nodes and VM management cluster as a JVM of their own, so that a test can kill it with
 * SIGKILL ({@link Process#destroyForcibly()}) and find out what the files kept. {@link #main}
 * starts the lab on the directory it is given and prints {@code READY <ssh port>} once both sides
 * serve; it runs until it is killed.
 */
final class LabProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("^READY (\\d+)$", Pattern.MULTILINE);

  private final Process process;
  private final int sshPort;

  private LabProcess(Process process, int sshPort) {
    this.process = process;
    this.sshPort = sshPort;
  }

  /** Starts the lab on {@code stateDir} in a new JVM (this one's classpath) and waits until it serves. */
  static LabProcess start(Path stateDir, Path log) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
        .orElse(System.getProperty("java.class.path"));
    Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", classpath, LabProcess.class.getName(),
        stateDir.toString()))
        .directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher ready = READY.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
      if (ready.find()) {
        return new LabProcess(process, Integer.parseInt(ready.group(1)));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the lab process ended with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the lab process did not start in time:\n" + Files.readString(log));
  }

  int sshPort() {
    return sshPort;
  }

  /** SIGKILL: the JVM gets no chance to write anything, as when the console is killed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The VM management cluster (P5's platform) of the shipped seed, its state under {@code props}' directory. */
  static VmClusterLab vmCluster(LabProperties props) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/vm-cluster.yml"))) {
      return new VmClusterLab(VmClusterSeed.read(in), props);
    }
  }

  public static void main(String[] args) throws Exception {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.INFO);
    }
    LabSeed seed = ALab.seed("1MB");
    LabProperties props = ALab.props(Path.of(args[0]));
    LabKube kube = new LabKube(seed, props);
    kube.start();
    LabNodes nodes = new LabNodes(seed, props, kube);
    nodes.start();
    vmCluster(props).start(nodes.sshPort());
    System.out.println("READY " + nodes.sshPort());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
