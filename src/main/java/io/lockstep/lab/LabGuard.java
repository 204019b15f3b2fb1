package io.lockstep.lab;

import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.ssh.SshProperties;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the lab from driving a real site. Site settings outrank the packaged lab profile, so a
 * site whose {@code config/application.yml} names its real cluster and forgets the profile would
 * otherwise have the lab running beside its real cluster and the console driving the real one.
 *
 * <p>With the lab active, every setting through which the console reaches a platform must name the
 * lab's own: {@code lockstep.kubernetes.kubeconfig} the kubeconfig the lab writes in its state
 * directory, {@code .context} none or the lab's host context, each {@code .members} entry the
 * lab's context for that member; {@code lockstep.ssh.known-hosts} and {@code .private-key} the
 * files the lab writes there, {@code lockstep.ssh.port} its nodes' port; every address of {@code
 * lockstep.sshsteps.hosts} one of its machines' (node addresses come from the lab's Kubernetes
 * API). Checked twice: the settings when this is made, before anything starts; and once the lab
 * runs, the API servers the console's own clients would call against the lab's. Either failing
 * stops start-up with one message naming every setting and the way out.
 *
 * <p>The lab banner ("Nothing here touches a real cluster") is shown only when {@link #verified()},
 * i.e. when the second check has passed.
 */
final class LabGuard implements SmartLifecycle {

  private final LabPlatform lab;
  private final Kubernetes kubernetes;
  private final MemberClusters members;
  private volatile boolean verified;

  LabGuard(LabProperties labProperties, LabSeed seed, List<String> vmClusterAddresses, LabPlatform lab,
      KubernetesProperties kube, SshProperties ssh, Map<String, String> sshStepsHosts, Kubernetes kubernetes,
      MemberClusters members) {
    this.lab = lab;
    this.kubernetes = kubernetes;
    this.members = members;
    Set<String> addresses = new LinkedHashSet<>();
    seed.nodes().forEach(node -> addresses.add(node.ip()));
    addresses.addAll(vmClusterAddresses);
    refuseIfAny(settingProblems(labProperties, addresses, kube, ssh, sshStepsHosts));
  }

  /** Every setting that points outside the lab, each as "setting = value; what the lab's own is". */
  static List<String> settingProblems(LabProperties lab, Set<String> labAddresses, KubernetesProperties kube,
      SshProperties ssh, Map<String, String> sshStepsHosts) {
    List<String> problems = new ArrayList<>();
    if (!samePath(kube.kubeconfig(), lab.kubeconfig())) {
      problems.add("lockstep.kubernetes.kubeconfig = " + shown(kube.kubeconfig()) + "; the lab's own is "
          + absolute(lab.kubeconfig()));
    }
    if (kube.context() != null && !kube.context().equals(LabKube.hostContext())) {
      problems.add("lockstep.kubernetes.context = " + kube.context() + "; the lab's own is " + LabKube.hostContext());
    }
    kube.members().forEach((member, context) -> {
      if (!LabKube.memberContext(member).equals(context)) {
        problems.add("lockstep.kubernetes.members." + member + " = " + context + "; the lab's own is "
            + LabKube.memberContext(member));
      }
    });
    if (!samePath(ssh.knownHosts(), lab.knownHosts())) {
      problems.add("lockstep.ssh.known-hosts = " + shown(ssh.knownHosts()) + "; the lab's own is "
          + absolute(lab.knownHosts()));
    }
    if (!samePath(ssh.privateKey(), lab.clientKey())) {
      problems.add("lockstep.ssh.private-key = " + shown(ssh.privateKey()) + "; the lab's own is "
          + absolute(lab.clientKey()));
    }
    if (ssh.port() != lab.sshPort()) {
      problems.add("lockstep.ssh.port = " + ssh.port() + "; the lab's nodes listen on " + lab.sshPort());
    }
    sshStepsHosts.forEach((host, address) -> {
      if (!labAddresses.contains(address)) {
        problems.add("lockstep.sshsteps.hosts." + host + " = " + address + "; no lab machine has that address (the lab's: "
            + String.join(", ", labAddresses) + ")");
      }
    });
    return problems;
  }

  /** Once the lab runs: the API servers the console's clients would call are the lab's own. */
  @Override
  public void start() {
    List<String> problems = new ArrayList<>();
    try {
      String called = kubernetes.apiUrl();
      if (!sameServer(called, lab.apiUrl())) {
        problems.add("lockstep.kubernetes.*: the console's Kubernetes client would call " + called
            + "; the lab's API server is " + lab.apiUrl());
      }
    } catch (RuntimeException e) {
      problems.add("lockstep.kubernetes.*: the console's Kubernetes client cannot be set up (" + e.getMessage() + ")");
    }
    for (String member : members.names()) {
      Optional<String> own = lab.memberApiUrl(member);
      try {
        String called = members.client(member).getMasterUrl().toString();
        // With the lab's members left out (lockstep.lab.kosmos=) a member's context is not in the
        // lab's kubeconfig and its client falls back to the lab's own API server: still the lab.
        boolean labs = own.map(url -> sameServer(called, url)).orElse(sameServer(called, lab.apiUrl()));
        if (!labs) {
          problems.add("lockstep.kubernetes.members." + member + ": the console would call " + called + "; "
              + own.map(url -> "the lab's member " + member + " is " + url).orElse("the lab has no member " + member));
        }
      } catch (RuntimeException e) {
        problems.add("lockstep.kubernetes.members." + member + ": its client cannot be set up (" + e.getMessage() + ")");
      }
    }
    refuseIfAny(problems);
    verified = true;
  }

  /** The lab is all the console reaches: checked when the lab started, and start-up went on. */
  boolean verified() {
    return verified;
  }

  @Override
  public void stop() {
    verified = false;
  }

  @Override
  public boolean isRunning() {
    return verified;
  }

  /** Right after the lab (-100), before the engine, the web server and anything else that reaches a platform. */
  @Override
  public int getPhase() {
    return -99;
  }

  private static void refuseIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new LabSettingsRefused(problems);
    }
  }

  private static boolean samePath(Path configured, Path labs) {
    return configured != null && absolute(configured).equals(absolute(labs));
  }

  private static Path absolute(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static String shown(Path path) {
    return path == null ? "(not set)" : path.toString();
  }

  private static boolean sameServer(String a, String b) {
    URI x = URI.create(a);
    URI y = URI.create(b);
    return Objects.equals(x.getScheme(), y.getScheme()) && Objects.equals(x.getHost(), y.getHost())
        && port(x) == port(y);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** Start-up refused: the lab is active and settings point at another platform. */
  static final class LabSettingsRefused extends IllegalStateException {

    LabSettingsRefused(List<String> problems) {
      super("The lab platform (profile 'lab', the default when no profile is given) is active, but these settings"
          + " point outside the lab:\n  - " + String.join("\n  - ", problems) + "\n"
          + "The lab never drives a real platform. To drive the platform these settings name, start with a site"
          + " profile: --spring.profiles.active=site (any profile but lab; see config/application-example.yml)."
          + " To rehearse on the lab, remove these settings (config/application.yml, environment variables,"
          + " command line).");
    }
  }
}
