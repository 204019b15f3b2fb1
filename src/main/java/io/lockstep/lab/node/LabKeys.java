package io.lockstep.lab.node;

import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The lab's SSH keys, all ed25519 in OpenSSH format (readable by OpenSSH and MINA alike, mode
 * 0600): each node's host key, generated once and kept across reseeds so known_hosts stays valid;
 * the console's client key (with its {@code .pub}), authorized for root on every node; and the
 * known_hosts file naming every node by name and ip ({@code [IP]:PORT} unless the port is 22).
 */
final class LabKeys {

  private LabKeys() {}

  /** Loads the key pair at {@code file}, generating and writing it first if it does not exist. */
  static KeyPair loadOrCreate(Path file, String comment) {
    try {
      if (!Files.exists(file)) {
        KeyPair generated = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Modes.of(0600)));
        try (OutputStream out = Files.newOutputStream(tmp)) {
          OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(generated, comment, null, out);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), publicLine(generated) + " " + comment + "\n");
      }
      try (InputStream in = Files.newInputStream(file)) {
        Iterator<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null).iterator();
        if (!keys.hasNext()) {
          throw new IllegalStateException("lab: no key in " + file);
        }
        return keys.next();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot read or write the key " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("lab: cannot create or load the key " + file, e);
    }
  }

  /** {@code ssh-ed25519 AAAA…}: a public key as authorized_keys and known_hosts write it. */
  static String publicLine(KeyPair key) {
    return PublicKeyEntry.toString(key.getPublic());
  }

  /** Writes known_hosts for every node, replacing the file atomically. */
  static void writeKnownHosts(Path file, List<LabSeed.Node> nodes, List<KeyPair> hostKeys, int port) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      LabSeed.Node node = nodes.get(i);
      text.append(host(node.name(), port)).append(',').append(host(node.ip(), port)).append(' ')
          .append(publicLine(hostKeys.get(i))).append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot write " + file, e);
    }
  }

  private static String host(String host, int port) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }
}
