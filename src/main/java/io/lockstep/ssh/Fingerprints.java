package io.lockstep.ssh;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/** Host key fingerprints as OpenSSH prints them: {@code SHA256:} and unpadded base64. */
final class Fingerprints {

  private Fingerprints() {}

  static String of(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  /** Key type and fingerprint: {@code ssh-ed25519 SHA256:…}. */
  static String described(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + of(key);
  }
}
