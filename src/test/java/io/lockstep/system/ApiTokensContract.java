package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.system.LoginThrottleContract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Personal API tokens over real, migrated databases: what is stored, who sees and revokes what,
 * and which tokens authenticate as whom. Run once per database by the subclasses.
 */
abstract class ApiTokensContract {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

  MutableClock clock;
  JdbcClient jdbc;
  ApiTokens stored;
  PersonalTokens tokens;
  List<Object> events;
  InMemoryUserDetailsManager users;
  LoginThrottle throttle;
  TokenAuthentication authentication;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    jdbc = JdbcClient.create(database());
    stored = new ApiTokens(jdbc);
    events = new ArrayList<>();
    tokens = new PersonalTokens(stored, events::add, clock,
        new org.springframework.jdbc.datasource.DataSourceTransactionManager(database()));
    users = new InMemoryUserDetailsManager(user("op1", "OPERATOR"), user("viewer", "VIEWER"));
    throttle = new LoginThrottle(new LoginAttempts(jdbc), new SecurityProperties(List.of(), 3, Duration.ofMinutes(15)), clock);
    authentication = new TokenAuthentication(stored, users, throttle, clock);
  }

  @Test
  void onlyTheHashOfATokenIsStored() {
    PersonalTokens.IssuedToken issued = tokens.issue("op1", new NewApiToken("nightly export", null));

    assertThat(issued.value()).startsWith("lst_").hasSize(47);
    assertThat(issued.toString()).doesNotContain(issued.value());
    Map<String, Object> row = jdbc.sql("SELECT * FROM api_token").query().singleRow();
    assertThat(row.values()).extracting(String::valueOf).noneMatch(v -> v.contains(issued.value().substring(4)));
    assertThat(String.valueOf(row.get(key(row, "token_hash")))).isEqualTo(ApiTokenSecrets.hash(issued.value()));
  }

  @Test
  void aNewTokenIsListedForItsOwnerOnlyWithItsExpiry() {
    tokens.issue("op1", new NewApiToken("ci", 30));
    clock.advance(Duration.ofSeconds(1));
    tokens.issue("op1", new NewApiToken("forever", null));
    tokens.issue("viewer", new NewApiToken("dashboard", 1));

    List<ApiToken> mine = tokens.of("op1");
    assertThat(mine).extracting(ApiToken::label).containsExactly("forever", "ci");
    assertThat(mine.get(1).createdAt()).isEqualTo(T0);
    assertThat(mine.get(1).expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(mine.get(0).expiresAt()).isNull();
    assertThat(mine).allMatch(t -> t.status(clock.instant()) == ApiToken.Status.ACTIVE);
    assertThat(tokens.of("viewer")).extracting(ApiToken::label).containsExactly("dashboard");
  }

  @Test
  void creatingAndRevokingPublishAuditableEventsThatNameOwnerAndLabelButNotTheToken() {
    PersonalTokens.IssuedToken issued = tokens.issue("op1", new NewApiToken("ci", 7));
    clock.advance(Duration.ofMinutes(5));
    ApiToken revoked = tokens.revoke("op1", issued.token().id());

    assertThat(revoked.revokedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(revoked.status(clock.instant())).isEqualTo(ApiToken.Status.REVOKED);
    assertThat(events).hasSize(2).allMatch(Auditable.class::isInstance);
    Auditable created = (Auditable) events.get(0);
    Auditable gone = (Auditable) events.get(1);
    assertThat(created.auditType()).isEqualTo("TOKEN_CREATED");
    assertThat(gone.auditType()).isEqualTo("TOKEN_REVOKED");
    for (Auditable event : List.of(created, gone)) {
      assertThat(event.actor()).isEqualTo("op1");
      assertThat(event.summary()).contains("op1").contains("'ci'").doesNotContain(issued.value());
      assertThat(event.details().toString()).doesNotContain(issued.value()).doesNotContain(ApiTokenSecrets.hash(issued.value()));
    }
  }

  @Test
  void nobodyRevokesAnotherUsersTokenAndRevokingTwiceIsAuditedOnce() {
    long id = tokens.issue("op1", new NewApiToken("ci", null)).token().id();
    assertThatThrownBy(() -> tokens.revoke("viewer", id)).isInstanceOf(PersonalTokens.NoSuchToken.class);
    assertThatThrownBy(() -> tokens.revoke("op1", id + 1000)).isInstanceOf(PersonalTokens.NoSuchToken.class);
    assertThat(tokens.of("op1").get(0).revokedAt()).isNull();

    tokens.revoke("op1", id);
    clock.advance(Duration.ofMinutes(1));
    ApiToken again = tokens.revoke("op1", id);
    assertThat(again.revokedAt()).isEqualTo(T0);
    assertThat(events).extracting(e -> ((Auditable) e).auditType())
        .containsExactly("TOKEN_CREATED", "REFUSED", "REFUSED", "TOKEN_REVOKED");
    assertThat(((Auditable) events.get(1)).summary()).isEqualTo("viewer was refused: revoke API token " + id
        + ". viewer has no API token " + id + " (it may be another user's)");
  }

  @Test
  void aValidTokenAuthenticatesAsItsOwnerWithTheOwnersCurrentRolesAndIsMarkedUsed() {
    PersonalTokens.IssuedToken issued = tokens.issue("op1", new NewApiToken("ci", null));
    clock.advance(Duration.ofMinutes(3));

    Authentication result = authentication.authenticate(attempt(issued.value()));
    assertThat(result.isAuthenticated()).isTrue();
    assertThat(result.getName()).isEqualTo("op1");
    assertThat(roles(result)).containsExactly("ROLE_OPERATOR");
    assertThat(result.getCredentials()).isNull();
    assertThat(result.toString()).doesNotContain(issued.value());
    assertThat(tokens.of("op1").get(0).lastUsedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));

    users.updateUser(user("op1", "VIEWER"));
    assertThat(roles(authentication.authenticate(attempt(issued.value())))).as("roles as configured now")
        .containsExactly("ROLE_VIEWER");
  }

  @Test
  void revokedExpiredUnknownAndMalformedTokensAndTokensOfRemovedUsersDoNotAuthenticate() {
    String revoked = tokens.issue("op1", new NewApiToken("revoked", null)).value();
    tokens.revoke("op1", tokens.of("op1").get(0).id());
    String expiring = tokens.issue("op1", new NewApiToken("expiring", 1)).value();
    String orphan = tokens.issue("viewer", new NewApiToken("orphan", null)).value();
    users.deleteUser("viewer");
    clock.advance(Duration.ofDays(1));

    // Each from its own address, so the throttle stays out of it.
    assertRefused(revoked, "10.0.0.1", "is revoked");
    assertRefused(expiring, "10.0.0.2", "has expired");
    assertRefused(orphan, "10.0.0.3", "no longer exists");
    assertRefused(ApiTokenSecrets.generate(), "10.0.0.4", "Unknown API token");
    assertRefused("lst_short", "10.0.0.5", "Unknown API token");
    assertRefused("", "10.0.0.6", "Unknown API token");
  }

  @Test
  void failedTokenAttemptsFromAnAddressAreThrottledLikeFailedLogins() {
    String valid = tokens.issue("op1", new NewApiToken("ci", null)).value();
    for (int i = 0; i < 3; i++) {
      assertRefused(ApiTokenSecrets.generate(), "10.0.0.9", "Unknown API token");
    }
    assertThatThrownBy(() -> authentication.authenticate(attempt(valid, "10.0.0.9")))
        .isInstanceOf(LockedException.class);
    assertThat(authentication.authenticate(attempt(valid, "10.0.0.10")).getName())
        .as("another address is not blocked").isEqualTo("op1");
    clock.advance(Duration.ofMinutes(16));
    assertThat(authentication.authenticate(attempt(valid, "10.0.0.9")).getName()).isEqualTo("op1");
  }

  private void assertRefused(String value, String address, String reason) {
    assertThatThrownBy(() -> authentication.authenticate(attempt(value, address)))
        .isInstanceOf(BadCredentialsException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value.isEmpty() ? "lst_" : value));
  }

  private static ApiTokenAuthentication attempt(String value) {
    return attempt(value, "10.0.0.1");
  }

  private static ApiTokenAuthentication attempt(String value, String address) {
    ApiTokenAuthentication attempt = ApiTokenAuthentication.attempt(value);
    attempt.setDetails(new WebAuthenticationDetails(address, null));
    return attempt;
  }

  private static List<String> roles(Authentication authentication) {
    return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
  }

  private static UserDetails user(String name, String role) {
    return User.withUsername(name).password("{noop}x").roles(role).build();
  }

  /** Column names come back upper case from H2, lower case from PostgreSQL. */
  private static String key(Map<String, Object> row, String column) {
    return row.keySet().stream().filter(k -> k.equalsIgnoreCase(column)).findFirst().orElseThrow();
  }
}
