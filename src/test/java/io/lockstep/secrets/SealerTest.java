package io.lockstep.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing with AES-256-GCM under the site's key, key ids for rotation, and the key file. */
class SealerTest {

  static final String CANARY = "CanaryZq7-sealer-1b2c";

  @TempDir
  Path dir;

  @Test
  void aSealedValueHidesItsTextNamesItsKeyAndOpensOnlyUnchanged() {
    Sealer sealer = Sealer.withKeys(Sealer.randomKey());
    String sealed = sealer.seal(CANARY);
    assertThat(sealed).startsWith("lss1:" + sealer.currentKeyId() + ":").doesNotContain(CANARY)
        .doesNotContain(Base64.getEncoder().encodeToString(CANARY.getBytes()));
    assertThat(sealer.seal(CANARY)).as("a fresh IV each time").isNotEqualTo(sealed);
    assertThat(sealer.open(sealed)).isEqualTo(CANARY);

    char last = sealed.charAt(sealed.length() - 5);
    String changed = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 4);
    assertThatThrownBy(() -> sealer.open(changed)).isInstanceOf(Sealer.SealException.class)
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> sealer.open(CANARY)).hasMessageContaining("not sealed");
  }

  @Test
  void oldKeysOpenButOnlyTheCurrentKeySeals() {
    byte[] old = Sealer.randomKey();
    String sealedBefore = Sealer.withKeys(old).seal(CANARY);
    Sealer rotated = Sealer.withKeys(Sealer.randomKey(), old);
    assertThat(rotated.open(sealedBefore)).isEqualTo(CANARY);
    assertThat(rotated.sealedWithCurrentKey(sealedBefore)).isFalse();
    assertThat(rotated.sealedWithCurrentKey(rotated.seal(CANARY))).isTrue();
    Sealer without = Sealer.withKeys(Sealer.randomKey());
    assertThatThrownBy(() -> without.open(sealedBefore)).hasMessageContaining("which this console was not given")
        .hasMessageContaining("lockstep.secrets.old-key-files");
  }

  @Test
  void aMissingKeyFileIsCreatedOwnerOnlyAndReadAgainNextTime() throws Exception {
    Path file = dir.resolve("data/secrets.key");
    Sealer first = new Sealer(new SecretsProperties(null, file, true, List.of()));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Sealer again = new Sealer(new SecretsProperties(null, file, true, List.of()));
    assertThat(again.currentKeyId()).isEqualTo(first.currentKeyId());
    assertThat(again.open(first.seal(CANARY))).isEqualTo(CANARY);
  }

  @Test
  void theKeyGivenInTheEnvironmentWinsAndBadKeysAreRefusedClearly() {
    byte[] key = Sealer.randomKey();
    Sealer fromEnv = new Sealer(new SecretsProperties(Base64.getEncoder().encodeToString(key),
        dir.resolve("never.key"), true, List.of()));
    assertThat(fromEnv.currentKeyId()).isEqualTo(Sealer.withKeys(key).currentKeyId());
    assertThat(dir.resolve("never.key")).doesNotExist();
    assertThatThrownBy(() -> new Sealer(new SecretsProperties("c2hvcnQ=", dir.resolve("x"), true, List.of())))
        .hasMessageContaining("holds 5 bytes; an AES-256 key is 32 bytes");
    assertThatThrownBy(() -> new Sealer(new SecretsProperties(null, dir.resolve("absent.key"), false, List.of())))
        .hasMessageContaining("no key to seal secrets with").hasMessageContaining("LOCKSTEP_SECRETS_KEY");
  }
}
