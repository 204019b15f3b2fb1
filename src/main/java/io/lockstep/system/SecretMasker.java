package io.lockstep.system;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Masks secret values in text before it is logged, streamed, audited or exported. Knows the
 * secrets it has been told (configured passwords, Secret data the console read) and recognises
 * common credential shapes ({@code password=…}, {@code -p VALUE} of proton-cli, PEM private keys).
 * Masking is the last line of defence: code should not put secrets into text in the first place.
 */
@Component
public class SecretMasker {

  public static final String MASK = "******";
  private static final int MIN_LENGTH = 4;
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("(?i)((?:password|passwd|secret|token|api[_-]?key)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;]+)"),
      Pattern.compile("(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----)"));

  private final Set<String> known = ConcurrentHashMap.newKeySet();

  /** Remembers a secret value; shorter than 4 characters is ignored (it would mask ordinary text). */
  public void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      known.add(secret);
    }
  }

  /** The text with every known secret and every credential shape replaced by {@value #MASK}. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : known.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      result = result.replace(secret, MASK);
    }
    result = SHAPES.get(0).matcher(result).replaceAll("$1" + MASK);
    return SHAPES.get(1).matcher(result).replaceAll("$1" + MASK + "$2");
  }
}
