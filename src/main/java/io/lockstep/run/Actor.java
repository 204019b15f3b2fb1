package io.lockstep.run;

import io.lockstep.system.Role;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who asks for something, with the roles the request carries: the rules of who may do what
 * (four-eyes included) are checked against this in the use cases, whatever the way in — page,
 * htmx or REST.
 *
 * @param name the user name
 * @param roles the user's roles
 */
public record Actor(String name, Set<Role> roles) {

  public Actor {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an actor has a name");
    }
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The user of an authenticated request. */
  public static Actor of(Authentication authentication) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      for (Role role : Role.values()) {
        if (role.authority().equals(authority.getAuthority())) {
          roles.add(role);
        }
      }
    }
    return new Actor(authentication.getName(), roles);
  }

  public static Actor of(String name, Role... roles) {
    return new Actor(name, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /**
   * Refuses unless the actor holds {@code role}; the refusal names the deed in English ({@code toDo})
   * and by its key ({@code run.refusal.do.*}) for a page in the reader's language.
   */
  void require(Role role, String toDo, String deedKey) {
    require(role, toDo, RunMessage.of("run.refusal.needsRole", RunMessage.text(name), RunMessage.word(deedKey),
        RunMessage.word("role." + role.name())));
  }

  /** Refuses unless the actor holds {@code role}; {@code said} is the refusal as a key, for pages. */
  void require(Role role, String toDo, RunMessage said) {
    if (!has(role)) {
      throw new RunException.NotAllowed(name + " may not " + toDo + ": that needs the " + role + " role", said);
    }
  }
}
