package io.lockstep.proton;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.node.LabNodes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
import io.lockstep.sshsteps.PasswordLogins;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The lab platform for the proton steps, reached as the console reaches a real one: its Kubernetes
 * API through the kubeconfig it writes, its nodes over SSH with the console's client (the lab's
 * client key and known_hosts). The executors are built on those, as Spring would build them.
 */
final class ProtonLab implements AutoCloseable {

  /** The nodes' root password, which proton-cli apply checks (config/lab/platform.yml). */
  static final String PASSWORD = "lab-root-secret";
  /** Every credential config/lab/platform.yml holds: none may ever be shown. */
  static final List<String> CREDENTIALS = List.of(PASSWORD, "redis-Pa55", "grafana-Pa55", "Maria-R00t-Pa55",
      "Mongo-R00t-Pa55");

  final LabSeed seed;
  final LabProperties props;
  final LabKube kube;
  final LabNodes nodes;
  final SshProperties ssh;
  final NodeShell shell;
  final Kubernetes kubernetes;
  final NodeAddresses addresses;
  final ApplyConf applyConf;
  final RewriteSecrets rewriteSecrets;
  final RestoreSecrets restoreSecrets;

  private ProtonLab(Path stateDir) {
    quietLibraries();
    seed = seed();
    props = new LabProperties(stateDir, "config/lab/platform.yml", 0, 0, Duration.ofMillis(100),
        Duration.ofMillis(300), "rsync", "ssh");
    kube = new LabKube(seed, props);
    kube.start();
    nodes = new LabNodes(seed, props, kube);
    nodes.start();
    ssh = new SshProperties("root", nodes.sshPort(), props.clientKey(), null, null,
        props.knownHosts(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), null);
    shell = new NodeShell(ssh);
    try {
      kubernetes = new Kubernetes(new KubernetesProperties(props.kubeconfig(), null, "anyshare", "resource",
          Duration.ofSeconds(10)), new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(props.kubeconfig()))).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    addresses = new NodeAddresses(kubernetes);
    applyConf = new ApplyConf(shell, addresses, kubernetes, new PasswordLogins(ssh, addresses));
    rewriteSecrets = new RewriteSecrets(kubernetes);
    restoreSecrets = new RestoreSecrets(kubernetes);
  }

  static ProtonLab start(Path stateDir) {
    return new ProtonLab(stateDir);
  }

  KubernetesClient client() {
    return kubernetes.client();
  }

  /** What proton-cli get conf prints now, read from the lab's side. */
  String conf() {
    return kube.protonConf();
  }

  Secret secret(String namespace, String name) {
    return client().secrets().inNamespace(namespace).withName(name).get();
  }

  /** The decoded keys of a Secret. */
  Map<String, String> decoded(String namespace, String name) {
    Map<String, String> decoded = new TreeMap<>();
    secret(namespace, name).getData().forEach((key, value) ->
        decoded.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    return decoded;
  }

  /** Phase 9 through the lab's own API and helm3: every component uninstalled, its volumes gone. */
  void uninstallEverything() throws LabCommandException {
    kube.helmDelete("resource", seed.components().stream().filter(LabSeed.Component::helm)
        .map(LabSeed.Component::name).toList());
    for (LabSeed.Component component : seed.components().stream().filter(c -> !c.helm()).toList()) {
      LabSeed.Operator operator = component.operator();
      ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup(operator.group())
          .withVersion(operator.version()).withKind(operator.kind()).withPlural(operator.plural())
          .withNamespaced(true).build();
      client().genericKubernetesResources(type).inNamespace("resource").withName(operator.crName()).delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        GenericKubernetesResource cr = client().genericKubernetesResources(type).inNamespace("resource")
            .withName(operator.crName()).get();
        return cr == null;
      });
      client().persistentVolumeClaims().inNamespace("resource")
          .withLabel(operator.labelKey(), operator.labelValue()).delete();
      client().persistentVolumes().withLabel(operator.labelKey(), operator.labelValue()).delete();
    }
  }

  /** The host file standing for {@code path} on {@code node}. */
  Path file(String node, String path) {
    return nodes.sandbox(node).resolve(path.substring(1));
  }

  @Override
  public void close() {
    shell.close();
    nodes.stop();
    kube.stop();
    kubernetes.client().close();
  }

  /** The shipped seed with little data, so that seeding the nodes is quick. */
  private static LabSeed seed() {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      LabSeed s = LabSeed.read(in);
      LabSeed.Platform p = s.platform();
      LabSeed.Platform small = new LabSeed.Platform(p.version(), p.rootPassword(), p.appNamespace(),
          p.resourceNamespace(), p.protonNamespace(), p.diskPerNode(), "2MB");
      return new LabSeed(small, s.nodes(), s.units(), s.etcdUnits(), s.components(), s.hostServices(),
          s.operatorDeployments(), s.apps(), s.kubeSystem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void quietLibraries() {
    for (String name : List.of("io.fabric8", "io.vertx", "io.netty", "org.apache.sshd")) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
  }
}
