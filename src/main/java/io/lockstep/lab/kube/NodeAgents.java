package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which nodes have their kubelet, their container runtime and their etcd member running, as the nodes' SSH side
 * reports through {@code systemctl}. A node nobody reported on runs both. The state outlives a lab
 * restart (a node whose kubelet an operator stopped is still NotReady after it), and a reset starts
 * every agent again.
 */
final class NodeAgents {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Set<String> kubeletStopped = ConcurrentHashMap.newKeySet();
  private final Set<String> runtimeStopped = ConcurrentHashMap.newKeySet();
  private final Set<String> etcdStopped = ConcurrentHashMap.newKeySet();

  boolean kubeletActive(String node) {
    return !kubeletStopped.contains(node);
  }

  boolean runtimeActive(String node) {
    return !runtimeStopped.contains(node);
  }

  boolean etcdActive(String node) {
    return !etcdStopped.contains(node);
  }

  /** Records an etcd start or stop; answers whether that changed anything. */
  boolean etcd(String node, boolean active) {
    return active ? etcdStopped.remove(node) : etcdStopped.add(node);
  }

  /** Whether containers on the node run and report ready: both agents are up. */
  boolean running(String node) {
    return kubeletActive(node) && runtimeActive(node);
  }

  /** Records a kubelet start or stop; answers whether that changed anything. */
  boolean kubelet(String node, boolean active) {
    return active ? kubeletStopped.remove(node) : kubeletStopped.add(node);
  }

  /** Records a runtime start or stop; answers whether that changed anything. */
  boolean runtime(String node, boolean active) {
    return active ? runtimeStopped.remove(node) : runtimeStopped.add(node);
  }

  void startAll() {
    kubeletStopped.clear();
    runtimeStopped.clear();
    etcdStopped.clear();
  }

  void save(Path file) throws IOException {
    Map<String, Object> state = new TreeMap<>();
    state.put("kubeletStopped", new TreeSet<>(kubeletStopped));
    state.put("runtimeStopped", new TreeSet<>(runtimeStopped));
    state.put("etcdStopped", new TreeSet<>(etcdStopped));
    Files.writeString(file, JSON.writeValueAsString(state));
  }

  void load(Path file) {
    startAll();
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
}
