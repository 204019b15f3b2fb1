package io.lockstep.system;

import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A request authenticated, or asking to be, with a personal API token.
 *
 * <p>Before authentication the principal is the fixed name {@value #ATTEMPT_NAME} (what the login
 * throttle and the failed-login audit rows name, since the owner is not known yet) and the token
 * value is the credential, which {@code toString()} prints as {@code [PROTECTED]}. Once
 * authenticated, the principal is the owner's {@link UserDetails} as the user store has them now,
 * so the token carries the owner's current roles, and the credential is gone.
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

  /** The name a token attempt goes by before its owner is known. */
  static final String ATTEMPT_NAME = "(api token)";

  private final Object principal;
  private String value;
  private final long tokenId;

  private ApiTokenAuthentication(Object principal, String value, long tokenId,
      Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
    super(authorities);
    this.principal = principal;
    this.value = value;
    this.tokenId = tokenId;
    super.setAuthenticated(authenticated);
  }

  /** A request carrying this token value, not yet checked. */
  static ApiTokenAuthentication attempt(String value) {
    return new ApiTokenAuthentication(ATTEMPT_NAME, value, 0, List.of(), false);
  }

  /** The token's owner, authenticated with their current authorities. */
  static ApiTokenAuthentication of(UserDetails owner, long tokenId) {
    return new ApiTokenAuthentication(owner, null, tokenId, owner.getAuthorities(), true);
  }

  @Override
  public Object getPrincipal() {
    return principal;
  }

  /** The token value while unchecked; null once authenticated. */
  @Override
  public Object getCredentials() {
    return value;
  }

  /** The id of the token that authenticated the request (0 while unchecked). */
  long tokenId() {
    return tokenId;
  }

  @Override
  public void setAuthenticated(boolean authenticated) {
    if (authenticated) {
      throw new IllegalArgumentException("Use ApiTokenAuthentication.of(owner, id) to authenticate");
    }
    super.setAuthenticated(false);
  }

  @Override
  public void eraseCredentials() {
    super.eraseCredentials();
    value = null;
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other) && other instanceof ApiTokenAuthentication token && token.tokenId == tokenId;
  }

  @Override
  public int hashCode() {
    return super.hashCode() * 31 + Long.hashCode(tokenId);
  }
}
