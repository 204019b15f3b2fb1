package io.lockstep.inventory;

import io.lockstep.inventory.InventorySnapshot.SshStatus;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.ssh.SshTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Probes nodes over SSH in parallel and keeps each result for a short while, so that refreshing
 * the inventory does not open a connection to every node every few seconds.
 */
@Component
class SshProbes implements DisposableBean {

  private final NodeShell shell;
  private final SshProperties ssh;
  private final InventoryProperties properties;
  private final Clock clock;
  private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "ssh-probe");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  SshProbes(NodeShell shell, SshProperties ssh, InventoryProperties properties, Clock clock) {
    this.shell = shell;
    this.ssh = ssh;
    this.properties = properties;
    this.clock = clock;
  }

  /** Probes every (node, ip) pair; a node without an address is reported unreachable. */
  Map<String, SshStatus> probe(Map<String, String> ipByNode) {
    Map<String, CompletableFuture<SshStatus>> futures = new ConcurrentHashMap<>();
    ipByNode.forEach((node, ip) -> futures.put(node, CompletableFuture.supplyAsync(() -> probe(node, ip), pool)));
    Map<String, SshStatus> result = new ConcurrentHashMap<>();
    futures.forEach((node, f) -> result.put(node, f.join()));
    return result;
  }

  /** Forgets cached results, e.g. after known_hosts or the platform changed. */
  void forget() {
    cache.clear();
  }

  private SshStatus probe(String node, String ip) {
    if (ip == null) {
      return new SshStatus(false, null, "node has no InternalIP address");
    }
    String key = node + "@" + ip;
    Instant now = clock.instant();
    Cached cached = cache.get(key);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.status();
    }
    SshStatus status;
    try {
      NodeShell.Probe p = shell.probe(new SshTarget(node, ip, ssh.port()));
      status = new SshStatus(p.reachable(), p.fingerprint(), p.message());
    } catch (IllegalArgumentException e) {
      status = new SshStatus(false, null, e.getMessage());
    }
    cache.put(key, new Cached(status, now.plus(properties.sshProbeTtl())));
    return status;
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }

  private record Cached(SshStatus status, Instant until) {}

}
