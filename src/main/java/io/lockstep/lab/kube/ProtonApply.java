package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code proton-cli apply -f FILE [-p PASSWORD]}: makes the cluster match a configuration, in
 * proton-cli's order — check everything first (nothing changes when a check fails), join the nodes
 * new under {@code .nodes} (masters get the control-plane role and its pods), install the components
 * that are not installed on the hosts their sections name, remove the nodes no longer listed, then
 * record the configuration in both Secrets.
 *
 * <p>An installed component placed differently from its section is refused, as proton-cli refuses
 * it: moving a component means uninstalling it first. Removing two or more nodes at once fails the
 * first time in the kubesuite step (the etcd member removal times out) and works when repeated, as
 * P1 warns. That the first time has happened is remembered in a file (its existence), written
 * before the failure is answered, so a retry after a crash of the lab works as it would on the
 * real cluster, where the first attempt got that far.
 */
final class ProtonApply {

  private final KubernetesClient client;
  private final LabSeed seed;
  private final NodeAgents agents;
  private final ComponentInstaller installer;
  private final ProtonSecrets secrets;
  private final ControlPlanePods controlPlane;
  private final ConfValidation validation;
  private final Path removalFailedOnce;

  /** @param removalFailedOnce the file whose existence says the removal of several nodes has failed once */
  ProtonApply(KubernetesClient client, LabSeed seed, NodeAgents agents, ComponentInstaller installer,
      ProtonSecrets secrets, ControlPlanePods controlPlane, Path removalFailedOnce) {
    this.client = client;
    this.seed = seed;
    this.agents = agents;
    this.installer = installer;
    this.secrets = secrets;
    this.controlPlane = controlPlane;
    this.validation = new ConfValidation(seed);
    this.removalFailedOnce = removalFailedOnce;
  }

  /** Forgets the failed removal: after a reset, removing several nodes fails the first time again. */
  synchronized void reset() {
    try {
      Files.deleteIfExists(removalFailedOnce);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + removalFailedOnce, e);
    }
  }

  synchronized void apply(String yaml, Optional<String> password, Consumer<String> progress)
      throws LabCommandException {
    ProtonConf conf = parse(yaml);
    validation.check(conf, password);
    Optional<ProtonConf> previous = secrets.conf().flatMap(ProtonApply::parseQuietly);
    Map<BaseComponent, Placement> toInstall = plan(conf);
    progress.accept("[preflight] " + conf.machines().size() + " nodes reachable over SSH");
    progress.accept("[preflight] configuration is valid");
    joinNodes(conf, previous, progress);
    List<String> removed = previous.map(ProtonConf::nodeNames).orElse(List.of()).stream()
        .filter(n -> !conf.nodeNames().contains(n)).toList();
    if (removed.size() >= 2 && !Files.exists(removalFailedOnce)) {
      remember(removalFailedOnce);
      progress.accept("[kubesuite] removing nodes " + String.join(",", removed));
      throw new LabCommandException("[kubesuite] error: remove etcd member " + removed.get(0)
          + ": context deadline exceeded", 1);
    }
    toInstall.forEach((component, placement) -> {
      installer.install(component, placement);
      progress.accept("[component] " + component.name() + " installed on " + String.join(",", placement.hosts()));
    });
    for (String name : removed) {
      client.nodes().withName(name).delete();
      progress.accept("[kubesuite] node " + name + " removed from the cluster");
    }
    save(yaml, conf, progress);
  }

  private static void remember(Path marker) {
    try {
      Files.createDirectories(marker.toAbsolutePath().getParent());
      Files.writeString(marker, "the removal of several nodes has failed once; proton-cli apply works when repeated\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker, e);
    }
  }

  private static ProtonConf parse(String yaml) throws LabCommandException {
    try {
      return ProtonConf.parse(yaml);
    } catch (IllegalArgumentException e) {
      throw new LabCommandException("Error: " + e.getMessage(), 1);
    }
  }

  /** Joins every listed node (masters to the control plane) and demotes masters no longer listed as such. */
  private void joinNodes(ProtonConf conf, Optional<ProtonConf> previous, Consumer<String> progress) {
    for (String name : conf.nodeNames()) {
      join(seed.node(name).orElseThrow(), conf.masters().contains(name), progress);
    }
    for (String name : previous.map(ProtonConf::masters).orElse(List.of())) {
      if (conf.nodeNames().contains(name) && !conf.masters().contains(name)) {
        demote(name, progress);
      }
    }
  }

  /** The components to install; refuses an installed component placed differently. */
  private Map<BaseComponent, Placement> plan(ProtonConf conf) throws LabCommandException {
    Map<BaseComponent, Placement> toInstall = new LinkedHashMap<>();
    for (LabSeed.Component seeded : seed.components()) {
      Optional<Placement> wanted = conf.placement(seeded.confKey());
      if (wanted.isEmpty()) {
        continue;
      }
      BaseComponent component = new BaseComponent(seeded, seed.platform().resourceNamespace());
      if (!installer.installed(component)) {
        toInstall.put(component, wanted.get());
      } else if (!installer.placement(component).equals(wanted)) {
        throw new LabCommandException("[component] " + component.name()
            + ": cannot change nodes of an installed component; uninstall it first", 1);
      }
    }
    return toInstall;
  }

  private void join(LabSeed.Node machine, boolean master, Consumer<String> progress) {
    Node node = client.nodes().withName(machine.name()).get();
    if (node == null) {
      Node created = new NodeBuilder(NodeObjects.node(machine, master, seed.platform())).editStatus()
          .withConditions(NodeObjects.conditions(agents.kubeletActive(machine.name()))).endStatus().build();
      node = client.nodes().resource(created).create();
      progress.accept("[kubesuite] node " + machine.name() + " joined the cluster" + (master ? " as a master" : ""));
    } else if (master && !node.getMetadata().getLabels().containsKey(NodeObjects.CONTROL_PLANE)) {
      node = client.nodes().withName(machine.name()).edit(n -> new NodeBuilder(n).editMetadata()
          .addToLabels(NodeObjects.CONTROL_PLANE, "").addToLabels(NodeObjects.MASTER, "").endMetadata().build());
      progress.accept("[kubesuite] node " + machine.name() + " joined the control plane");
    }
    if (master) {
      controlPlane.ensure(node);
    }
  }

  private void demote(String name, Consumer<String> progress) {
    if (client.nodes().withName(name).get() != null) {
      client.nodes().withName(name).edit(n -> new NodeBuilder(n).editMetadata()
          .removeFromLabels(NodeObjects.CONTROL_PLANE).removeFromLabels(NodeObjects.MASTER).endMetadata().build());
    }
    controlPlane.remove(name);
    progress.accept("[kubesuite] node " + name + " left the control plane");
  }

  /** Records the configuration as given (its comments and quoting intact) and the changed placements. */
  private void save(String yaml, ProtonConf conf, Consumer<String> progress) {
    secrets.writeConf(yaml);
    Map<LabSeed.Component, Placement> changed = new LinkedHashMap<>();
    for (LabSeed.Component component : seed.components()) {
      conf.placement(component.confKey())
          .filter(wanted -> !secrets.componentPlacement(component).equals(Optional.of(wanted)))
          .ifPresent(wanted -> changed.put(component, wanted));
    }
    secrets.writeComponents(changed, conf);
    List<String> names = new ArrayList<>();
    changed.keySet().forEach(c -> names.add(c.name()));
    progress.accept("[config] cluster configuration saved" + (names.isEmpty() ? "" : "; component settings updated for "
        + String.join(",", names)));
    progress.accept("apply succeeded");
  }

  private static Optional<ProtonConf> parseQuietly(String yaml) {
    try {
      return Optional.of(ProtonConf.parse(yaml));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
