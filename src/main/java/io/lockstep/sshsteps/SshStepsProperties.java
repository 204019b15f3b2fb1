package io.lockstep.sshsteps;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
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
 */
@Validated
@ConfigurationProperties("lockstep.sshsteps")
record SshStepsProperties(
    @DefaultValue("16") @Min(1) @Max(256) int parallelism,
    @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration killAfter) {}
