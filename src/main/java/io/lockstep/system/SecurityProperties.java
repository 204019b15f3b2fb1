package io.lockstep.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may log in to the console.
 *
 * @param users the accounts; passwords are stored only as bcrypt hashes
 * @param maxLoginFailures failed logins of one user from one address tolerated within
 *     {@code loginFailureWindow}; further attempts are refused until the window has passed
 * @param loginFailureWindow how far back failures are counted
 */
@Validated
@ConfigurationProperties("lockstep.security")
public record SecurityProperties(
    @Valid List<User> users,
    @DefaultValue("5") @Positive int maxLoginFailures,
    @DefaultValue("15m") Duration loginFailureWindow) {

  public SecurityProperties {
    users = users == null ? List.of() : List.copyOf(users);
  }

  /**
   * One account.
   *
   * @param name the login name
   * @param passwordHash the bcrypt hash of the password ({@code $2a$…}, {@code $2b$…} or {@code
   *     $2y$…}); plain passwords are refused
   * @param roles one or more of OPERATOR, APPROVER, VIEWER
   * @param displayName how the console names the user (defaults to the login name)
   */
  public record User(
      @NotBlank String name,
      @NotBlank String passwordHash,
      @NotEmpty Set<Role> roles,
      String displayName) {

    public User {
      if (passwordHash != null && !passwordHash.matches("^\\$2[aby]?\\$\\d\\d\\$.{53}$")) {
        throw new IllegalArgumentException(
            "lockstep.security.users: the password of '" + name + "' must be a bcrypt hash, not a plain password");
      }
      displayName = displayName == null || displayName.isBlank() ? name : displayName;
    }

    @Override
    public String toString() {
      return "User[name=" + name + ", roles=" + roles + "]";
    }
  }
}
