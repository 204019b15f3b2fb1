package io.lockstep.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the site's keys: the current one from {@code lockstep.secrets.key} or the key file
 * (created with a random key, owner-only, when missing and allowed), old ones from their files.
 * Every problem is a start-up failure naming the setting to fix.
 */
final class SecretKeys {

  private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);

  record Loaded(byte[] current, List<byte[]> old, String source) {}

  private SecretKeys() {}

  static Loaded load(SecretsProperties properties) {
    byte[] current;
    String source;
    if (properties.key() != null) {
      current = decode(properties.key(), "lockstep.secrets.key (LOCKSTEP_SECRETS_KEY)");
      source = "lockstep.secrets.key";
    } else {
      Path file = properties.keyFile().toAbsolutePath().normalize();
      if (!Files.exists(file)) {
        if (!properties.createKey()) {
          throw new IllegalStateException("no key to seal secrets with: " + file + " does not exist and"
              + " lockstep.secrets.create-key is off. Give the site's key as lockstep.secrets.key-file or"
              + " LOCKSTEP_SECRETS_KEY (base64 of 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`)");
        }
        create(file);
      }
      current = read(file);
      source = file.toString();
    }
    List<byte[]> old = new ArrayList<>();
    for (Path file : properties.oldKeyFiles()) {
      old.add(read(file.toAbsolutePath().normalize()));
    }
    return new Loaded(current, old, source);
  }

  private static byte[] read(Path file) {
    try {
      return decode(Files.readString(file, StandardCharsets.US_ASCII), "the key file " + file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] decode(String text, String where) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + " is not base64 (expected 32 random bytes as base64, e.g. `head -c 32"
          + " /dev/urandom | base64`)");
    }
    if (key.length != Sealer.KEY_BYTES) {
      throw new IllegalStateException(where + " holds " + key.length + " bytes; an AES-256 key is "
          + Sealer.KEY_BYTES + " bytes (base64 of 32 random bytes)");
    }
    return key;
  }

  /** Creates the file with a random key, readable and writable by its owner only from the start. */
  private static void create(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      String key = Base64.getEncoder().encodeToString(Sealer.randomKey()) + "\n";
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, key, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      log.warn("created a new key to seal secrets at rest in {} (owner-only). Keep a copy of it with the database's"
          + " backups: without it the sealed values (secret plan parameters, Secret backups) cannot be read", file);
    } catch (FileAlreadyExistsException e) {
      // another console created it meanwhile: use that one
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the secrets key file " + file, e);
    }
  }
}
