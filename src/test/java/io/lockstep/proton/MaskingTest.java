package io.lockstep.proton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Credentials never reach an approver: by key name, by known value, inside longer text. */
class MaskingTest {

  static final String CONF = """
      nodes:
        - name: node-1
          ip4: 10.0.0.1
      proton_redis:
        hosts: [node-1]
        password: redis-Pa55
        sentinel:
          auth_token: t0ken-value
        url: redis://:redis-Pa55@redis:6379
        admin_user: root
      registry:
        credentials:
          user: admin
          pass: Reg1stry-Pass
        copy_of_pass: Reg1stry-Pass
        tls_private_key: "-----BEGIN KEY-----"
        port: 5000
        enabled: true
      """;

  @Test
  void credentialKeysAndEveryCopyOfTheirValuesAreMasked() {
    ObjectNode conf = Yaml.mapping(CONF).orElseThrow();
    Masking masking = new Masking(List.of("ssh-Passw0rd")).collect(conf);

    String shown = Yaml.write(masking.masked(conf));

    assertThat(shown).doesNotContain("redis-Pa55", "t0ken-value", "Reg1stry-Pass", "admin\n", "BEGIN KEY")
        .contains("password: '******'", "auth_token: '******'", "url: redis://:******@redis:6379",
            "user: '******'", "copy_of_pass: '******'", "admin_user: root", "port: 5000", "enabled: true",
            "ip4: 10.0.0.1");
    assertThat(masking.text("login with ssh-Passw0rd failed")).isEqualTo("login with ****** failed");
    assertThat(Yaml.write(conf)).as("the original is not touched").contains("redis-Pa55");
  }

  @Test
  void keyNamesThatHoldCredentials() {
    assertThat(List.of("password", "admin_passwd", "SECRET_KEY", "token", "apiKey", "credentials", "ssh-password"))
        .allMatch(Masking::credentialKey);
    assertThat(List.of("hosts", "data_path", "admin_user", "name", "replicas")).noneMatch(Masking::credentialKey);
  }
}
