package io.lockstep.ssh;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Client key pairs for the tests, written as {@code ssh-keygen} writes them (OpenSSH format). */
final class ClientKeys {

  private ClientKeys() {}

  static KeyPair ed25519() throws Exception {
    return KeyUtils.generateKeyPair("ssh-ed25519", 256);
  }

  static Path write(KeyPair key, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "lockstep-test", null, out);
    }
    return file;
  }

  static Path writeEncrypted(KeyPair key, String passphrase, Path file) throws Exception {
    OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
    encryption.setPassword(passphrase);
    encryption.setCipherName("AES");
    encryption.setCipherType("256");
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "lockstep-test", encryption, out);
    }
    return file;
  }
}
