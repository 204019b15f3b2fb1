package io.lockstep.secrets;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The key that seals secret values at rest.
 *
 * @param key the current key as base64 of 32 bytes (environment {@code LOCKSTEP_SECRETS_KEY}); when
 *     set it wins over {@code keyFile}
 * @param keyFile the file holding the current key (base64 of 32 bytes on one line)
 * @param createKey whether a missing {@code keyFile} is created with a random key (owner-only
 *     permissions) when no {@code key} is given
 * @param oldKeyFiles keys used before a rotation: they only open values, never seal; values they
 *     sealed are sealed again with the current key at start-up
 */
@Validated
@ConfigurationProperties("lockstep.secrets")
public record SecretsProperties(
    String key,
    @DefaultValue("./data/secrets.key") Path keyFile,
    @DefaultValue("true") boolean createKey,
    List<Path> oldKeyFiles) {

  public SecretsProperties {
    key = key == null || key.isBlank() ? null : key.strip();
    oldKeyFiles = oldKeyFiles == null ? List.of() : List.copyOf(oldKeyFiles);
  }
}
