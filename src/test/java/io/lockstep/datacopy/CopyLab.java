package io.lockstep.datacopy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.node.LabNodes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The lab platform as the console meets it, for copy tests and the benchmark: the lab's Kubernetes
 * API (where the nodes' addresses come from) and its six nodes, each a real SSH server over a
 * sandbox directory whose {@code rsync} is the real binary, pushing to the other nodes with
 * OpenSSH. The console's side is built from the files the lab writes (kubeconfig, known_hosts,
 * client key), as the {@code lab} profile does.
 */
public final class CopyLab implements AutoCloseable {

  private final LabProperties props;
  private final LabKube kube;
  private final LabNodes nodes;
  private final NodeShell shell;
  private final Kubernetes kubernetes;
  private final NodeAddresses addresses;

  private CopyLab(Path stateDir, String dataSize, String disk) {
    quietLibraries();
    props = new LabProperties(stateDir, "config/lab/platform.yml", 0, 0, Duration.ofMillis(100),
        Duration.ofMillis(300), "rsync", "ssh");
    LabSeed seed = seed(dataSize, disk);
    kube = new LabKube(seed, props);
    kube.start();
    nodes = new LabNodes(seed, props, kube);
    nodes.start();
    shell = new NodeShell(new SshProperties("root", nodes.sshPort(), props.clientKey(), null, null,
        props.knownHosts(), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofMinutes(10), null));
    try {
      kubernetes = new Kubernetes(new KubernetesProperties(props.kubeconfig(), null, "anyshare",
          "resource", Duration.ofSeconds(20)), new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(props.kubeconfig()))).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    addresses = new NodeAddresses(kubernetes);
  }

  /**
   * Starts a lab in {@code stateDir} from the shipped seed with {@code dataSize} of component data
   * spread over the old nodes and a disk of {@code disk} per node ({@code 16MB}, {@code 8GB}).
   */
  static CopyLab start(Path stateDir, String dataSize, String disk) {
    return new CopyLab(stateDir, dataSize, disk);
  }

  /** The console's SSH client, logged in as root with the lab's client key. */
  NodeShell shell() {
    return shell;
  }

  NodeAddresses addresses() {
    return addresses;
  }

  /** The executor under test, wired as Spring wires it. */
  CopyRsync executor(DataCopyProperties properties) {
    return new CopyRsync(shell, addresses, properties);
  }

  CopyRsync executor() {
    return executor(new DataCopyProperties(6, Duration.ofSeconds(10), 1.1));
  }

  /** The host directory standing for {@code path} on {@code node}. */
  Path dir(String node, String path) {
    return nodes.sandbox(node).resolve(path.substring(1));
  }

  /** Deletes {@code path} on {@code node} (a target between tests), if it is there. */
  void delete(String node, String path) {
    deleteTree(dir(node, path));
  }

  @Override
  public void close() {
    shell.close();
    kubernetes.client().close();
    nodes.stop();
    kube.stop();
  }

  /** Every file and directory below {@code root}: sha256 (files) and mode, by relative path. */
  static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path entry : all.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry,
            LinkOption.NOFOLLOW_LINKS));
        String what = Files.isDirectory(entry) ? "dir" : sha256(entry);
        digests.put("/" + root.relativize(entry), what + " " + mode);
      }
    }
    return digests;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a tree without following links; nothing when it is not there. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LabSeed seed(String dataSize, String disk) {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      LabSeed s = LabSeed.read(in);
      LabSeed.Platform p = s.platform();
      LabSeed.Platform changed = new LabSeed.Platform(p.version(), p.rootPassword(),
          p.appNamespace(), p.resourceNamespace(), p.protonNamespace(), disk, dataSize);
      return new LabSeed(changed, s.nodes(), s.units(), s.etcdUnits(), s.components(),
          s.hostServices(), s.operatorDeployments(), s.apps(), s.kubeSystem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DEBUG logging of the HTTP stacks (logback's default without a config) slows every request. */
  private static void quietLibraries() {
    for (String name : List.of("io.fabric8", "io.vertx", "io.netty", "org.apache.sshd")) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
  }
}
