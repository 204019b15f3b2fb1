package io.lockstep.ssh;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the console logs in to the nodes of a platform over SSH (prefix {@code lockstep.ssh}).
 *
 * <p>One user and one set of credentials serve every node: the procedures assume the same root
 * password everywhere, or a key trusted by every node. Set {@code private-key}, {@code password}
 * or both; with both, the key is offered first and the password second. Without either the console
 * still starts (the inventory can show host keys), but every login fails and says what to set.
 *
 * @param user the user logged in as on every node; maintenance needs root
 * @param port the SSH port of a node when the inventory names none
 * @param privateKey the private key file (OpenSSH or PEM format; ed25519, ECDSA or RSA) offered
 *     for public-key authentication; read at every login so a replaced key takes effect without a
 *     restart
 * @param privateKeyPassphrase the passphrase of {@code private-key} when it is encrypted; a
 *     secret, never logged
 * @param password the password for password authentication; a secret, never logged and masked in
 *     {@link #toString()}
 * @param knownHosts the OpenSSH known_hosts file holding every node's host key; required because
 *     host keys are always pinned: a node whose key is missing or different is refused, and the
 *     console never writes this file. Entries for a port other than 22 are written {@code
 *     [host]:port}, as OpenSSH does
 * @param connectTimeout how long to wait for a node to accept the TCP connection
 * @param authTimeout how long the SSH handshake and login may take once connected
 * @param commandTimeout how long a command may run when the caller gives no timeout of its own;
 *     then it is stopped
 * @param maxSessions how many commands may run at once on one node; further commands wait for a
 *     free slot, and the wait counts against their timeout. Unset means no limit on the console's
 *     side (the node's sshd {@code MaxSessions}, 10 by default, still applies)
 */
@Validated
@ConfigurationProperties("lockstep.ssh")
public record SshProperties(
    @DefaultValue("root") @NotBlank String user,
    @DefaultValue("22") @Min(1) @Max(65535) int port,
    @Nullable Path privateKey,
    @Nullable String privateKeyPassphrase,
    @Nullable String password,
    @NotNull Path knownHosts,
    @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
    @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration authTimeout,
    @DefaultValue("10m") @NotNull @DurationMin(millis = 1) Duration commandTimeout,
    @Nullable @Positive Integer maxSessions) {

  private static final String MASK = "******";

  /** Shows every setting except the secrets, which appear as {@value #MASK} when set. */
  @Override
  public String toString() {
    return "SshProperties[user=" + user + ", port=" + port + ", privateKey=" + privateKey
        + ", privateKeyPassphrase=" + masked(privateKeyPassphrase)
        + ", password=" + masked(password)
        + ", knownHosts=" + knownHosts + ", connectTimeout=" + connectTimeout
        + ", authTimeout=" + authTimeout + ", commandTimeout=" + commandTimeout
        + ", maxSessions=" + maxSessions + "]";
  }

  private static @Nullable String masked(@Nullable String secret) {
    return secret == null ? null : MASK;
  }
}
