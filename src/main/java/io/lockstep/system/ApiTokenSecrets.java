package io.lockstep.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The shape of API tokens: {@code lst_} and 32 random bytes in unpadded base64url (43 characters).
 * The prefix lets secret scanners and people recognise a Lockstep token; the database keeps only
 * the SHA-256 of the whole token, so a leaked table grants nothing. No salt is needed: the token
 * has 256 bits of entropy, nothing to guess from a dictionary.
 */
final class ApiTokenSecrets {

  static final String PREFIX = "lst_";
  /** A token anywhere in a text; {@link SecretMasker} masks it everywhere. */
  static final Pattern IN_TEXT = Pattern.compile("(?<![A-Za-z0-9_-])lst_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");
  private static final Pattern SHAPE = Pattern.compile("lst_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokenSecrets() {}

  /** A new token value; the caller shows it once and stores only {@link #hash(String)}. */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether the text has the shape of a token (says nothing about whether it is valid). */
  static boolean wellFormed(String text) {
    return text != null && SHAPE.matcher(text).matches();
  }

  /** SHA-256 of the token's UTF-8 bytes, as 64 lower-case hex digits. */
  static String hash(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
