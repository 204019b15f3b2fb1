package io.lockstep.system;

import java.util.HashSet;
import java.util.Set;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** Turns the configured accounts into the user store, refusing to start without any. */
final class UserAccounts {

  static final String NO_USERS = """
      Lockstep has no users. Configure at least one under lockstep.security.users \
      (name, password-hash as a bcrypt hash, roles), see config/application-example.yml; \
      or start the built-in lab platform with --spring.profiles.active=lab, which brings demo users.""";

  private UserAccounts() {}

  static UserDetailsService from(SecurityProperties properties) {
    if (properties.users().isEmpty()) {
      throw new IllegalStateException(NO_USERS);
    }
    Set<String> seen = new HashSet<>();
    InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
    for (SecurityProperties.User user : properties.users()) {
      if (!seen.add(user.name())) {
        throw new IllegalStateException("lockstep.security.users: user '" + user.name() + "' is configured twice");
      }
      manager.createUser(User.withUsername(user.name())
          .password("{bcrypt}" + user.passwordHash())
          .authorities(user.roles().stream().map(Role::authority).toArray(String[]::new))
          .build());
    }
    return manager;
  }
}
