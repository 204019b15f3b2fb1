package io.lockstep.system;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password authentication behind the login throttle: a blocked user is refused before the
 * password is even checked, and every outcome is recorded. Serves the login form and HTTP Basic.
 */
final class ThrottledAuthentication implements AuthenticationProvider {

  private final DaoAuthenticationProvider passwords;
  private final LoginThrottle throttle;

  ThrottledAuthentication(DaoAuthenticationProvider passwords, LoginThrottle throttle) {
    this.passwords = passwords;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    String username = String.valueOf(authentication.getName());
    String address = remoteAddress(authentication);
    throttle.checkAllowed(username, address);
    try {
      Authentication result = passwords.authenticate(authentication);
      throttle.recordSuccess(username, address);
      return result;
    } catch (BadCredentialsException e) {
      throttle.recordFailure(username, address);
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private static String remoteAddress(Authentication authentication) {
    return authentication.getDetails() instanceof WebAuthenticationDetails details
            && details.getRemoteAddress() != null
        ? details.getRemoteAddress()
        : "unknown";
  }
}
