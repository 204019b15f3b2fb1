package io.lockstep.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor.CipherAlgorithm;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/**
 * Seals secret values for storage and opens them again: AES-256-GCM with a random 16-byte IV per
 * value (Spring Security crypto's {@link AesBytesEncryptor}), so a value changed or moved in the
 * database fails to open instead of opening to something else. A sealed value reads {@code
 * lss1:<key id>:<base64 of IV, ciphertext and tag>}; the key id is the first 16 hex digits of a
 * SHA-256 over the key (it names the key, it does not reveal it). Thread-safe.
 */
@Component
public class Sealer {

  static final String PREFIX = "lss1:";
  static final int KEY_BYTES = 32;

  private final Key current;
  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final String source;

  @Autowired
  Sealer(SecretsProperties properties) {
    this(SecretKeys.load(properties));
  }

  private Sealer(SecretKeys.Loaded loaded) {
    this.current = new Key(loaded.current());
    this.keys.put(current.id(), current);
    for (byte[] old : loaded.old()) {
      Key key = new Key(old);
      keys.putIfAbsent(key.id(), key);
    }
    this.source = loaded.source();
  }

  /** A sealer with {@code current} as its key and {@code old} keys that only open (tests, tools). */
  public static Sealer withKeys(byte[] current, byte[]... old) {
    return new Sealer(new SecretKeys.Loaded(current, List.of(old), "given keys"));
  }

  /** A fresh random 32-byte key. */
  public static byte[] randomKey() {
    return KeyGenerators.secureRandom(KEY_BYTES).generateKey();
  }

  /** Whether {@code value} is a sealed value (of any key). */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** The id of the key that seals now. */
  public String currentKeyId() {
    return current.id();
  }

  /** Where the current key came from, for messages (never the key itself). */
  public String keySource() {
    return source;
  }

  /** Whether {@code value} is sealed with the current key (otherwise it is to be sealed again). */
  public boolean sealedWithCurrentKey(String value) {
    return isSealed(value) && value.startsWith(PREFIX + current.id() + ":");
  }

  /** {@code plain} sealed with the current key. */
  public String seal(String plain) {
    if (plain == null) {
      throw new IllegalArgumentException("there is no value to seal");
    }
    byte[] sealed = current.aes().encrypt(plain.getBytes(StandardCharsets.UTF_8));
    return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(sealed);
  }

  /**
   * The plain text of a sealed value.
   *
   * @throws SealException the value is not sealed, names a key this console was not given, or was
   *     changed (the tag does not match)
   */
  public String open(String sealed) {
    if (!isSealed(sealed)) {
      throw new SealException("a stored secret value is not sealed (it does not start with " + PREFIX + ")");
    }
    int colon = sealed.indexOf(':', PREFIX.length());
    String keyId = colon < 0 ? "" : sealed.substring(PREFIX.length(), colon);
    Key key = keys.get(keyId);
    if (key == null) {
      throw new SealException(unknownKey(keyId));
    }
    try {
      return new String(key.aes().decrypt(Base64.getDecoder().decode(sealed.substring(colon + 1))), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SealException("a stored secret value sealed with key " + keyId + " does not open: it was changed or"
          + " cut in the database");
    }
  }

  /** Whether this console holds the key that sealed {@code value}. */
  public boolean canOpen(String value) {
    if (!isSealed(value)) {
      return false;
    }
    int colon = value.indexOf(':', PREFIX.length());
    return colon > 0 && keys.containsKey(value.substring(PREFIX.length(), colon));
  }

  /** The message for a value sealed with a key this console was not given. */
  public String unknownKey(String keyId) {
    return "a stored secret value is sealed with key " + keyId + ", which this console was not given (its key: "
        + current.id() + " from " + source + "). Give the key that sealed it as lockstep.secrets.key-file (or"
        + " LOCKSTEP_SECRETS_KEY), or list it under lockstep.secrets.old-key-files after a rotation";
  }

  static String idOf(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("lockstep-secrets-key-id:".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest(key)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Key(String id, AesBytesEncryptor aes) {
    Key(byte[] key) {
      this(idOf(key), new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(16),
          CipherAlgorithm.GCM));
    }
  }

  /** A sealed value that cannot be opened here. */
  public static final class SealException extends IllegalStateException {
    SealException(String message) {
      super(message);
    }
  }
}
