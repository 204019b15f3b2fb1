package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The token format and what a user may ask for. */
class ApiTokenInputTest {

  @Test
  void tokensAreLstAnd32RandomBytesInBase64url() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String token = ApiTokenSecrets.generate();
      assertThat(token).matches("lst_[A-Za-z0-9_-]{43}");
      assertThat(ApiTokenSecrets.wellFormed(token)).isTrue();
      assertThat(seen.add(token)).isTrue();
    }
    assertThat(ApiTokenSecrets.wellFormed("lst_abc")).isFalse();
    assertThat(ApiTokenSecrets.wellFormed(null)).isFalse();
  }

  @Test
  void theStoredHashIsTheSha256HexOfTheWholeToken() {
    // sha256("abc"), the FIPS 180-2 test vector
    assertThat(ApiTokenSecrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void aTokenNeedsALabelAndASensibleExpiry() {
    assertThat(new NewApiToken("  ci  ", null).label()).isEqualTo("ci");
    assertThat(new NewApiToken("ci", 3650).expiresInDays()).isEqualTo(3650);
    assertThatThrownBy(() -> new NewApiToken(" ", null)).hasMessageContaining("label");
    assertThatThrownBy(() -> new NewApiToken(null, null)).hasMessageContaining("label");
    assertThatThrownBy(() -> new NewApiToken("x".repeat(101), null)).hasMessageContaining("at most 100");
    assertThatThrownBy(() -> new NewApiToken("a\nb", null)).hasMessageContaining("control characters");
    assertThatThrownBy(() -> new NewApiToken("ci", 0)).hasMessageContaining("between 1 and 3650");
    assertThatThrownBy(() -> new NewApiToken("ci", 3651)).hasMessageContaining("between 1 and 3650");
  }
}
