package io.lockstep.sshsteps;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.lockstep.ssh.NodeNames;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How steps run commands on nodes (prefix {@code lockstep.sshsteps}).
 *
 * @param parallelism how many nodes one parallel {@code ssh.exec} step runs its command on at
 *     once; further nodes wait for one to finish. The SSH layer's {@code lockstep.ssh.max-sessions}
 *     limits commands per node besides
 * @param killAfter how long a node waits, after it asked a command that ran out of time to
 *     stop (TERM), before it kills it (KILL): the {@code --kill-after} of coreutils {@code
 *     timeout}; given in whole seconds (rounded up)
 * @param hosts machines reached over SSH that are not nodes of the Kubernetes cluster (P5's
 *     hypervisors and their management workstation), by name, with the address to reach each at;
 *     a name here is never looked up in the Kubernetes API
 */
@Validated
@ConfigurationProperties("lockstep.sshsteps")
record SshStepsProperties(
    @DefaultValue("16") @Min(1) @Max(256) int parallelism,
    @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration killAfter,
    Map<String, String> hosts) {

  @ConstructorBinding
  SshStepsProperties {
    hosts = hosts == null ? Map.of() : Map.copyOf(hosts);
    hosts.keySet().forEach(NodeNames::require);
    hosts.values().forEach(address -> {
      if (!address.matches("[A-Za-z0-9.:\\-]+")) {
        throw new IllegalArgumentException("lockstep.sshsteps.hosts: '" + address + "' is not a host name or address");
      }
    });
  }

  SshStepsProperties(int parallelism, Duration killAfter) {
    this(parallelism, killAfter, Map.of());
  }
}
