package io.lockstep.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.jspecify.annotations.Nullable;

/**
 * Why {@link PinnedHostKeys} refused a node's host key, handed back to the login so that the
 * failure can be reported with the node's name (which the verifier does not know).
 */
record HostKeyRejection(Kind kind, PublicKey presented, @Nullable PublicKey known, Path knownHosts,
    String detail) {

  enum Kind { UNKNOWN, CHANGED, REVOKED, UNREADABLE }

  String fingerprint() {
    return Fingerprints.of(presented);
  }

  /** The message for an operator, naming the node and both fingerprints where there are two. */
  String describe(SshTarget target) {
    String subject = "host key of " + target;
    return switch (kind) {
      case UNKNOWN -> subject + " is not in known_hosts: " + Fingerprints.described(presented)
          + (Files.exists(knownHosts) ? "" : " (known_hosts file " + knownHosts + " is missing)")
          + "; check it on the node and add it to " + knownHosts;
      case CHANGED -> subject + " CHANGED: presented " + fingerprint() + ", known_hosts has "
          + (known == null ? "another key" : Fingerprints.of(known))
          + " — possible man-in-the-middle; fix known_hosts if the node was reinstalled";
      case REVOKED -> subject + " is marked @revoked in known_hosts: "
          + Fingerprints.described(presented);
      case UNREADABLE -> subject + " cannot be checked: known_hosts file " + knownHosts
          + " could not be read (" + detail + "); presented " + Fingerprints.described(presented);
    };
  }
}
