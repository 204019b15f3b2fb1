package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

class UserAccountsTest {

  static final String HASH = "$2a$10$EBSuLqIzrt7bWKhnYy1dWuEYR6xpcd1/l/EYflIT/DORnxZH2B086";

  @Test
  void noUsersMeansNoStartWithAMessageThatSaysWhatToDo() {
    SecurityProperties none = new SecurityProperties(List.of(), 5, Duration.ofMinutes(15));
    assertThatThrownBy(() -> UserAccounts.from(none))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lockstep.security.users")
        .hasMessageContaining("application-example.yml");
  }

  @Test
  void aPlainPasswordIsRefused() {
    assertThatThrownBy(() -> new SecurityProperties.User("op1", "lockstep-demo", Set.of(Role.OPERATOR), null))
        .hasMessageContaining("must be a bcrypt hash");
  }

  @Test
  void usersGetTheirRolesAsAuthorities() {
    var lead = new SecurityProperties.User("lead", HASH, Set.of(Role.OPERATOR, Role.APPROVER), null);
    var users = UserAccounts.from(new SecurityProperties(List.of(lead), 5, Duration.ofMinutes(15)));
    UserDetails details = users.loadUserByUsername("lead");
    assertThat(details.getAuthorities()).extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_APPROVER");
    assertThat(lead.toString()).doesNotContain(HASH);
  }

  @Test
  void aUserConfiguredTwiceIsRefused() {
    var a = new SecurityProperties.User("op1", HASH, Set.of(Role.OPERATOR), null);
    assertThatThrownBy(() -> UserAccounts.from(new SecurityProperties(List.of(a, a), 5, Duration.ofMinutes(15))))
        .hasMessageContaining("'op1' is configured twice");
  }
}
