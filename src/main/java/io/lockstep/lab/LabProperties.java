package io.lockstep.lab;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the built-in lab platform (profile {@code lab}).
 *
 * @param stateDir where the lab keeps its state: the cluster's objects, every node's files, host
 *     keys, and the kubeconfig, known_hosts and client key it writes for the console
 * @param seed location of the seed (a Spring resource location); the lab is built from it when it
 *     has no state yet and whenever an operator resets it
 * @param apiPort port of the lab's Kubernetes API on 127.0.0.1 (0 picks a free one)
 * @param sshPort port of every lab node's SSH server, each on the node's own loopback address
 * @param podStartDelay how long a new pod stays Pending before it runs and is Ready
 * @param podTerminationGrace how long a deleted pod stays Terminating before it is gone (real
 *     applications take their terminationGracePeriodSeconds, 30 s; the lab is faster)
 * @param rsyncBinary the rsync executable that moves bytes between node sandboxes
 * @param sshBinary the OpenSSH client rsync uses as its remote shell between lab nodes
 */
@Validated
@ConfigurationProperties("lockstep.lab")
public record LabProperties(
    @DefaultValue("./data/lab") Path stateDir,
    @DefaultValue("classpath:lockstep-config/lab/platform.yml") String seed,
    @DefaultValue("16443") int apiPort,
    @DefaultValue("2222") int sshPort,
    @DefaultValue("1s") Duration podStartDelay,
    @DefaultValue("2s") Duration podTerminationGrace,
    @DefaultValue("rsync") String rsyncBinary,
    @DefaultValue("ssh") String sshBinary) {

  /** The kubeconfig the console uses to reach the lab's API server. */
  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  /** The known_hosts file holding every lab node's host key. */
  public Path knownHosts() {
    return stateDir.resolve("known_hosts");
  }

  /** The private key (OpenSSH format, ed25519) the console logs in with; authorized on every node. */
  public Path clientKey() {
    return stateDir.resolve("id_ed25519");
  }

  /** The folder holding the node sandboxes: {@code nodes/NAME/root} is that node's "/". */
  public Path nodesDir() {
    return stateDir.resolve("nodes");
  }

  /** The folder holding the persisted Kubernetes objects. */
  public Path clusterDir() {
    return stateDir.resolve("cluster");
  }
}
