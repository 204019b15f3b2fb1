package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.LockstepApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Outside the lab, a console without users refuses to start and says what to configure. */
class StartupWithoutUsersTest {

  @Test
  void aSiteProfileWithoutUsersFailsWithAClearMessage(@TempDir Path dir) throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
    assertThatThrownBy(() -> new SpringApplicationBuilder(LockstepApplication.class)
            .profiles("site")
            .run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:no-users;DB_CLOSE_DELAY=-1",
                "--lockstep.ssh.known-hosts=" + knownHosts)
            .close())
        .hasStackTraceContaining("Lockstep has no users")
        .hasStackTraceContaining("lockstep.security.users");
  }
}
