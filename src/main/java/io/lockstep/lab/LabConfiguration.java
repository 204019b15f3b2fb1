package io.lockstep.lab;

import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.node.LabNodes;
import io.lockstep.lab.vmcluster.VmClusterLab;
import io.lockstep.lab.vmcluster.VmClusterSeed;
import io.lockstep.ssh.SshProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/** Builds the lab from its seed when the {@code lab} profile is active. */
@Configuration(proxyBeanMethods = false)
@Profile("lab")
class LabConfiguration {

  @Bean
  LabSeed labSeed(LabProperties properties, ResourceLoader resources) {
    try (InputStream in = resources.getResource(properties.seed()).getInputStream()) {
      return LabSeed.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab seed " + properties.seed(), e);
    }
  }

  @Bean
  LabPlatform labPlatform(LabSeed seed, LabProperties properties, ResourceLoader resources) {
    LabKube kube = new LabKube(seed, properties);
    return new LabPlatform(kube, new LabNodes(seed, properties, kube), vmCluster(properties, resources));
  }

  /**
   * The check that every setting through which the console reaches a platform names the lab's own
   * (see {@link LabGuard}); made before anything starts.
   */
  @Bean
  LabGuard labGuard(LabProperties properties, LabSeed seed, LabPlatform lab, KubernetesProperties kube,
      SshProperties ssh, Environment environment, Kubernetes kubernetes, MemberClusters members,
      ResourceLoader resources) {
    // Bound here, the same way the sshsteps module binds it (its properties record is its own).
    Map<String, String> sshStepsHosts = Binder.get(environment)
        .bind("lockstep.sshsteps.hosts", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    return new LabGuard(properties, seed, vmClusterAddresses(lab, resources), lab, kube, ssh, sshStepsHosts, kubernetes,
        members);
  }

  /**
   * The addresses of the lab's VM management cluster: of the one running, or, when it is left out
   * ({@code lockstep.lab.vm-cluster=}), of the packaged seed, whose hosts the lab profile still names
   * in {@code lockstep.sshsteps.hosts}; nothing answers there then, and nothing outside the lab does.
   */
  private static List<String> vmClusterAddresses(LabPlatform lab, ResourceLoader resources) {
    if (lab.vmCluster().isPresent()) {
      return lab.vmCluster().get().ips();
    }
    try (InputStream in = resources.getResource(LabProperties.PACKAGED_VM_CLUSTER).getInputStream()) {
      return VmClusterSeed.read(in).hosts().stream().map(VmClusterSeed.Host::ip).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab's packaged vm-cluster seed", e);
    }
  }

  /** The VM management cluster (P5's platform), or null when the properties leave it out. */
  private static VmClusterLab vmCluster(LabProperties properties, ResourceLoader resources) {
    if (!properties.vmClusterEnabled()) {
      return null;
    }
    try (InputStream in = resources.getResource(properties.vmCluster()).getInputStream()) {
      return new VmClusterLab(VmClusterSeed.read(in), properties);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab's vm-cluster seed " + properties.vmCluster(), e);
    }
  }
}
