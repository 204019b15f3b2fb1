package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which nodes have their kubelet, their container runtime and their etcd member running, as the
 * nodes' SSH side reports through {@code systemctl}. A node nobody reported on runs all three. The
 * state outlives the lab's process (a node whose kubelet an operator stopped is still NotReady
 * after a restart, and etcd keeps its lost quorum), and a reset starts every agent again.
 *
 * <p>Every change is in {@code file} before the method that made it returns, so before the
 * {@code systemctl} command that reported it answers: written beside and renamed over the last
 * state, which hands it to the operating system (enough for a killed process; no {@code fsync},
 * see {@link ClusterJournal}). A change that cannot be written is undone and thrown.
 */
final class NodeAgents {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Set<String> kubeletStopped = ConcurrentHashMap.newKeySet();
  private final Set<String> runtimeStopped = ConcurrentHashMap.newKeySet();
  private final Set<String> etcdStopped = ConcurrentHashMap.newKeySet();

  /** @param file where the state is kept ({@code node-agents.json} beside the cluster's objects) */
  NodeAgents(Path file) {
    this.file = file;
  }

  boolean kubeletActive(String node) {
    return !kubeletStopped.contains(node);
  }

  boolean runtimeActive(String node) {
    return !runtimeStopped.contains(node);
  }

  boolean etcdActive(String node) {
    return !etcdStopped.contains(node);
  }

  /** Whether containers on the node run and report ready: both agents are up. */
  boolean running(String node) {
    return kubeletActive(node) && runtimeActive(node);
  }

  /** Records a kubelet start or stop; answers whether that changed anything. */
  boolean kubelet(String node, boolean active) {
    return change(kubeletStopped, node, active);
  }

  /** Records a runtime start or stop; answers whether that changed anything. */
  boolean runtime(String node, boolean active) {
    return change(runtimeStopped, node, active);
  }

  /** Records an etcd start or stop; answers whether that changed anything. */
  boolean etcd(String node, boolean active) {
    return change(etcdStopped, node, active);
  }

  /** Every agent runs again (a reset, a fresh seed). */
  synchronized void startAll() {
    kubeletStopped.clear();
    runtimeStopped.clear();
    etcdStopped.clear();
    save();
  }

  /** Loads the saved state; every agent runs when there is none. */
  synchronized void load() {
    kubeletStopped.clear();
    runtimeStopped.clear();
    etcdStopped.clear();
    if (!Files.exists(file)) {
      return;
    }
    try {
      Map<String, Set<String>> state = JSON.readValue(Files.readString(file),
          new TypeReference<Map<String, Set<String>>>() {});
      kubeletStopped.addAll(state.getOrDefault("kubeletStopped", Set.of()));
      runtimeStopped.addAll(state.getOrDefault("runtimeStopped", Set.of()));
      etcdStopped.addAll(state.getOrDefault("etcdStopped", Set.of()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private synchronized boolean change(Set<String> stopped, String node, boolean active) {
    boolean changed = active ? stopped.remove(node) : stopped.add(node);
    if (changed) {
      try {
        save();
      } catch (RuntimeException e) {
        if (active) {
          stopped.add(node);
        } else {
          stopped.remove(node);
        }
        throw e;
      }
    }
    return changed;
  }

  private void save() {
    Map<String, Object> state = new TreeMap<>();
    state.put("kubeletStopped", new TreeSet<>(kubeletStopped));
    state.put("runtimeStopped", new TreeSet<>(runtimeStopped));
    state.put("etcdStopped", new TreeSet<>(etcdStopped));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(state));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
