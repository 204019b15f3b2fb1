package io.lockstep.ssh;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@link SshProperties} for the tests: the production defaults with short timeouts. */
final class SshSettings {

  private SshSettings() {}

  static SshProperties password(Path knownHosts, String password) {
    return of(knownHosts, null, null, password, null);
  }

  static SshProperties key(Path knownHosts, Path privateKey) {
    return of(knownHosts, privateKey, null, null, null);
  }

  static SshProperties of(Path knownHosts, @Nullable Path privateKey, @Nullable String passphrase,
      @Nullable String password, @Nullable Integer maxSessions) {
    // Connecting and logging in are not what these tests time: generous bounds, so that a loaded
    // machine (test JVMs side by side) does not close a session mid-handshake ("Session is being closed").
    return new SshProperties(TestSshServer.USER, 22, privateKey, passphrase, password, knownHosts,
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20), maxSessions);
  }
}
