package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class SshPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(SshProperties.class)
  static class Config {}

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(Config.class);

  @Test
  void defaultsAreTheDocumentedOnes() {
    context.withPropertyValues("lockstep.ssh.known-hosts=/etc/lockstep/known_hosts").run(ctx -> {
      SshProperties ssh = ctx.getBean(SshProperties.class);
      assertThat(ssh.user()).isEqualTo("root");
      assertThat(ssh.port()).isEqualTo(22);
      assertThat(ssh.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(ssh.authTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(ssh.commandTimeout()).isEqualTo(Duration.ofMinutes(10));
      assertThat(ssh.knownHosts()).isEqualTo(Path.of("/etc/lockstep/known_hosts"));
      assertThat(ssh.privateKey()).isNull();
      assertThat(ssh.password()).isNull();
      assertThat(ssh.maxSessions()).isNull();
    });
  }

  @Test
  void knownHostsIsRequiredBecauseHostKeysAreAlwaysPinned() {
    context.run(ctx -> assertThat(ctx).hasFailed().getFailure()
        .hasStackTraceContaining("knownHosts"));
  }

  @Test
  void nonsenseIsRefusedAtStartup() {
    context.withPropertyValues("lockstep.ssh.known-hosts=/k", "lockstep.ssh.port=0",
            "lockstep.ssh.command-timeout=0s", "lockstep.ssh.max-sessions=0")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("port")
            .hasStackTraceContaining("commandTimeout")
            .hasStackTraceContaining("maxSessions"));
  }

  @Test
  void secretsAreMaskedInToString() {
    SshProperties ssh = SshSettings.of(Path.of("/k"), Path.of("/id"), "key-passphrase-xyz",
        "password-xyz", 4);
    assertThat(ssh.toString())
        .doesNotContain("password-xyz", "key-passphrase-xyz")
        .contains("password=******", "privateKeyPassphrase=******", "privateKey=/id",
            "maxSessions=4");
    assertThat(SshSettings.key(Path.of("/k"), Path.of("/id")).toString()).contains("password=null");
  }
}
