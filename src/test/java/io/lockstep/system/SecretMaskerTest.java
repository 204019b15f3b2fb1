package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** Scoped masking: a secret masks in the scope it belongs to, credential shapes everywhere. */
class SecretMaskerTest {

  static final String SECRET = "kubelet-Zq7";
  static final String LINE = "systemctl stop " + SECRET;

  @Test
  void thisConsolesApiTokensMaskEverywhere() {
    String token = ApiTokenSecrets.generate();
    SecretMasker masker = new SecretMasker();
    assertThat(masker.shapesOnly().mask("abort: use " + token + ", it is mine")).isEqualTo("abort: use ******, it is mine");
    assertThat(masker.forRun("run-1").mask("Bearer " + token)).isEqualTo("Bearer ******");
    assertThat(masker.shapesOnly().mask("lst_short and lst_")).isEqualTo("lst_short and lst_");
  }

  /** The two pieces of an overlong line cut inside a secret: each edge holding 4 or more of it is masked. */
  @Test
  void aSecretCutAtALineEdgeIsMaskedOnBothSides() {
    SecretMasker masker = new SecretMasker();
    masker.planStored("plan-1", List.of(SECRET));
    masker.runOfPlan("run-1", "plan-1");
    SecretScope run = masker.forRun("run-1");
    assertThat(run.mask("xxxx kubel")).isEqualTo("xxxx ******");
    assertThat(run.mask("et-Zq7 and the rest")).isEqualTo("****** and the rest");
    assertThat(run.mask("kubelet-Zq7")).isEqualTo("******");
    // fewer than 4 characters at an edge are ordinary text: "kub" and "Zq7" stay, words inside stay
    assertThat(run.mask("ends in kub")).isEqualTo("ends in kub");
    assertThat(run.mask("Zq7 begins")).isEqualTo("Zq7 begins");
    assertThat(run.mask("the kubelet unit")).isEqualTo("the kubelet unit");
    assertThat(masker.forRun("run-2").mask("xxxx kubel")).isEqualTo("xxxx kubel");
  }

  @Test
  void nothingMasksAWordBeforeAPlanIsStoredWithIt() {
    SecretMasker masker = new SecretMasker();
    assertThat(masker.forRun("run-1").mask(LINE)).isEqualTo(LINE);
    assertThat(masker.forPlan("plan-1").mask(LINE)).isEqualTo(LINE);
  }

  @Test
  void aPlansSecretMasksInThePlanAndItsRunsOnly() {
    SecretMasker masker = new SecretMasker();
    masker.planStored("plan-1", List.of(SECRET));
    masker.runOfPlan("run-1", "plan-1");
    masker.runOfPlan("run-2", "plan-2");

    assertThat(masker.forRun("run-1").mask(LINE)).isEqualTo("systemctl stop ******");
    assertThat(masker.forPlan("plan-1").mask(LINE)).isEqualTo("systemctl stop ******");
    assertThat(masker.forRun("run-2").mask(LINE)).isEqualTo(LINE);
    assertThat(masker.forPlan("plan-2").mask(LINE)).isEqualTo(LINE);
    assertThat(masker.shapesOnly().mask(LINE)).isEqualTo(LINE);
    assertThat(masker.forRun(null).mask(LINE)).isEqualTo(LINE);
  }

  @Test
  void whatARunReadFromTheClusterMasksInThatRunOnly() {
    SecretMasker masker = new SecretMasker();
    String json = "{\"data\":{\"ssh-password\":\"" + b64(SECRET) + "\",\"conf.yaml\":\""
        + b64("redis:\n  password: redis-Pa55w\n  hosts: [node-1]\n") + "\"},\"name\":\"proton-cli-config\"}";
    masker.runRead("run-1", SecretValues.ofRecord(json));

    assertThat(masker.forRun("run-1").mask(LINE + " redis-Pa55w " + b64(SECRET) + " node-1 proton-cli-config"))
        .isEqualTo("systemctl stop ****** ****** ****** node-1 proton-cli-config");
    assertThat(masker.forRun("run-2").mask(LINE)).isEqualTo(LINE);
  }

  @Test
  void credentialShapesMaskEverywhere() {
    SecretMasker masker = new SecretMasker();
    String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----";
    assertThat(masker.shapesOnly().mask("mysql password=hunter2xx " + key))
        .isEqualTo("mysql password=****** -----BEGIN OPENSSH PRIVATE KEY-----******-----END OPENSSH PRIVATE KEY-----");
    assertThat(masker.forRun("run-9").mask("token: abcdef")).isEqualTo("token: ******");
  }

  @Test
  void afterARestartTheSecretsOfAScopeAreLookedUpInTheStore() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("source", new SecretMasker.Source() {
      @Override
      public Optional<String> planOfRun(String runId) {
        return runId.equals("run-1") ? Optional.of("plan-1") : Optional.of("plan-2");
      }

      @Override
      public Collection<String> secretsOfPlan(String planId) {
        return planId.equals("plan-1") ? List.of(SECRET) : List.of();
      }

      @Override
      public Collection<String> secretsOfRun(String runId) {
        return List.of();
      }
    }));
    SecretMasker masker = new SecretMasker(beans.getBeanProvider(SecretMasker.Source.class));
    assertThat(masker.forRun("run-1").mask(LINE)).isEqualTo("systemctl stop ******");
    assertThat(masker.forRun("run-2").mask(LINE)).isEqualTo(LINE);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
