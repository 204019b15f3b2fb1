package io.lockstep.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that signs the anchor file's checkpoints: given directly ({@code lockstep.audit.anchor-key},
 * base64) or read from {@code lockstep.audit.anchor-key-file}, which is created with 32 random
 * bytes and owner-only permissions when it does not exist. The key itself is never logged.
 */
final class AnchorKey {

  static final String ALGORITHM = "HmacSHA256";
  static final int MIN_BYTES = 32;
  private static final Logger log = LoggerFactory.getLogger(AnchorKey.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private AnchorKey() {}

  static SecretKey of(String base64, Path file) {
    if (base64 != null && !base64.isBlank()) {
      return decode(base64, "lockstep.audit.anchor-key");
    }
    if (file == null) {
      throw new IllegalArgumentException("lockstep.audit.anchor-key-file is not set and no lockstep.audit.anchor-key is given");
    }
    try {
      if (Files.notExists(file)) {
        create(file);
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit anchor key " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(key);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".audit-anchor-key", ".tmp");
    try {
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      // Two consoles starting at once: the first key wins, the other reads it.
      Files.createLink(file, tmp);
      log.info("Created the audit anchor key {} (owner-only); back it up with the anchor file", file);
    } catch (FileAlreadyExistsException e) {
      log.debug("audit anchor key {} appeared meanwhile", file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static SecretKey decode(String base64, String where) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the audit anchor key in " + where + " is not base64");
    }
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("the audit anchor key in " + where + " has " + bytes.length
          + " bytes; it needs at least " + MIN_BYTES);
    }
    return new SecretKeySpec(bytes, ALGORITHM);
  }
}
