package io.lockstep.system;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a personal API token: known by its hash, not revoked, not expired, and its owner still in
 * the user store, whose current roles the request gets (a user removed from the configuration
 * takes their tokens along; a changed role applies at once).
 *
 * <p>Attempts go through the login throttle under the name {@value
 * ApiTokenAuthentication#ATTEMPT_NAME} from the caller's address, so an address that keeps sending
 * bad tokens is refused for a while, like one that keeps guessing passwords. Every failure throws
 * {@link BadCredentialsException} (or the throttle's {@code LockedException}); the messages name
 * the token's owner and label for the audit trail, never its value, and callers get none of them
 * (see {@link InvalidTokenResponse}).
 */
final class TokenAuthentication implements AuthenticationProvider {

  private final ApiTokens tokens;
  private final UserDetailsService users;
  private final LoginThrottle throttle;
  private final Clock clock;
  private final AccountStatusUserDetailsChecker accountStatus = new AccountStatusUserDetailsChecker();

  TokenAuthentication(ApiTokens tokens, UserDetailsService users, LoginThrottle throttle, Clock clock) {
    this.tokens = tokens;
    this.users = users;
    this.throttle = throttle;
    this.clock = clock;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    String address = remoteAddress(authentication);
    throttle.checkAllowed(ApiTokenAuthentication.ATTEMPT_NAME, address);
    try {
      Authentication result = check(String.valueOf(authentication.getCredentials()));
      throttle.recordSuccess(ApiTokenAuthentication.ATTEMPT_NAME, address);
      return result;
    } catch (AuthenticationException e) {
      throttle.recordFailure(ApiTokenAuthentication.ATTEMPT_NAME, address);
      throw e;
    }
  }

  private ApiTokenAuthentication check(String value) {
    Optional<ApiToken> found = ApiTokenSecrets.wellFormed(value)
        ? tokens.findByHash(ApiTokenSecrets.hash(value))
        : Optional.empty();
    ApiToken token = found.orElseThrow(() -> new BadCredentialsException("Unknown API token"));
    Instant now = clock.instant();
    switch (token.status(now)) {
      case REVOKED -> throw new BadCredentialsException(named(token) + " is revoked");
      case EXPIRED -> throw new BadCredentialsException(named(token) + " has expired");
      case ACTIVE -> { }
    }
    UserDetails owner;
    try {
      owner = users.loadUserByUsername(token.owner());
    } catch (UsernameNotFoundException e) {
      throw new BadCredentialsException(named(token) + " belongs to a user who no longer exists");
    }
    accountStatus.check(owner);
    tokens.markUsed(token.id(), now);
    return ApiTokenAuthentication.of(owner, token.id());
  }

  private static String named(ApiToken token) {
    return "API token '" + token.label() + "' of " + token.owner();
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return ApiTokenAuthentication.class.isAssignableFrom(authentication);
  }

  private static String remoteAddress(Authentication authentication) {
    return authentication.getDetails() instanceof WebAuthenticationDetails details
            && details.getRemoteAddress() != null
        ? details.getRemoteAddress()
        : "unknown";
  }
}
