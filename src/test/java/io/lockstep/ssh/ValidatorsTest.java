package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks callers run on values before they build commands from them. */
class ValidatorsTest {

  private static final String LONG_LABEL = "a".repeat(63);

  static Stream<String> goodNodeNames() {
    return Stream.of("node-1", "node-4", "n", "1", "master.cluster.local", "a-b-c", "10.0.0.4",
        LONG_LABEL, String.join(".", LONG_LABEL, LONG_LABEL, LONG_LABEL, "a".repeat(61)));
  }

  static Stream<String> badNodeNames() {
    return Stream.of("Node_1", "NODE", "-node", "node-", "node..a", ".node", "node.", "node 1",
        "node;reboot", "node/1", "nöde", "a".repeat(64), "x\n",
        String.join(".", LONG_LABEL, LONG_LABEL, LONG_LABEL, "a".repeat(62)));
  }

  @ParameterizedTest
  @MethodSource("goodNodeNames")
  void nodeNamesKubernetesAccepts(String name) {
    assertThat(NodeNames.require(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @MethodSource("badNodeNames")
  void nodeNamesKubernetesRefuses(String name) {
    assertThatThrownBy(() -> NodeNames.require(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a valid Kubernetes node name");
  }

  @Test
  void aBadNodeNameIsNamedInTheMessage() {
    assertThatThrownBy(() -> NodeNames.require("Node_1"))
        .hasMessageStartingWith("node name 'Node_1' is not a valid Kubernetes node name");
    assertThatThrownBy(() -> NodeNames.require("x\ny"))
        .hasMessageStartingWith("node name 'x\\ny' is not");
    assertThatThrownBy(() -> NodeNames.require(null)).hasMessage("node name is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/sysvol/mariadb", "/data", "/a/b/c", "/sysvol/a-b_c.d", "/x/.hidden",
      "/opt/app@2:0", "/srv/k=v,w+z", "/数据/mysql", "/données/été", "/-dash"})
  void remotePathsAccepted(String path) {
    assertThat(RemotePaths.requireAbsolute(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "relative/path", "./x", "/a//b", "/a/./b", "/a/../b", "/..",
      "/a/", "/with space", "/tab\there", "/quote'", "/dq\"", "/$(reboot)", "/a;b", "/`id`",
      "/a*", "/a?", "/~x", "/nul\0", "/line\nbreak", "/a|b", "/a&b", "/a\\b", "/emoji😀"})
  void remotePathsRefused(String path) {
    assertThatThrownBy(() -> RemotePaths.requireAbsolute(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("remote path");
  }

  @Test
  void remotePathMessagesSayWhatIsWrong() {
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("/data/my dir"))
        .hasMessage("remote path '/data/my dir' contains ' ' (U+0020), which is not allowed: "
            + "use letters, digits and . _ / + @ : = , -");
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("data"))
        .hasMessage("remote path 'data' is not absolute: it must start with '/'");
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("/a/../etc"))
        .hasMessage("remote path '/a/../etc' is not normalized: it contains '//', '/./' or '/../'");
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("/"))
        .hasMessage("remote path '/' is the root directory; name a directory");
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("/a/"))
        .hasMessage("remote path '/a/' ends with '/'; write it without");
    assertThatThrownBy(() -> RemotePaths.requireAbsolute("/" + "a".repeat(4096)))
        .hasMessageEndingWith("is longer than 4096 characters");
    assertThat(RemotePaths.requireAbsolute("/" + "a".repeat(4095))).hasSize(4096);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void missingValuesAreCalledMissing(String value) {
    assertThatThrownBy(() -> RemotePaths.requireAbsolute(value))
        .hasMessage("remote path is missing");
    assertThatThrownBy(() -> SystemdUnits.require(value))
        .hasMessage("systemd unit name is missing");
    assertThatThrownBy(() -> HelmReleases.require(value))
        .hasMessage("Helm release name is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kubelet", "docker", "containerd", "proton-cr", "proton-cr-registry",
      "proton-cr-chartmuseum", "docker.socket", "etcd.service", "getty@tty1.service",
      "systemd-fsck@dev-disk-by\\x2duuid.service", "a:b_c.d", "kube.apiserver"})
  void systemdUnitsAccepted(String unit) {
    assertThat(SystemdUnits.require(unit)).isEqualTo(unit);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--now", "-kubelet", ".service", "@x.service", "kubelet;reboot",
      "kube let", "kubelet$(id)", "a@b@c.service", "docker.", "getty@.service", "sysinit.target",
      "fstrim.timer", "data.mount", "x/y", "ünit"})
  void systemdUnitsRefused(String unit) {
    assertThatThrownBy(() -> SystemdUnits.require(unit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Shown.value(unit));
  }

  @Test
  void systemdUnitMessagesSayWhatIsWrong() {
    assertThatThrownBy(() -> SystemdUnits.require("kube let"))
        .hasMessage("systemd unit name 'kube let' is not valid: use letters, digits and "
            + ": _ . \\ @ -, starting with a letter or digit");
    assertThatThrownBy(() -> SystemdUnits.require("fstrim.timer"))
        .hasMessage("systemd unit 'fstrim.timer' is a timer unit; only services and sockets are "
            + "started and stopped");
    assertThatThrownBy(() -> SystemdUnits.require("getty@.service"))
        .hasMessage("systemd unit 'getty@.service' is a template; name an instance, e.g. "
            + "getty@NAME.service");
    assertThatThrownBy(() -> SystemdUnits.require("a".repeat(257)))
        .hasMessageEndingWith("is longer than 256 characters");
    assertThat(SystemdUnits.require("a".repeat(256))).hasSize(256);
  }

  static Stream<String> goodReleases() {
    return Stream.of("kafka", "opensearch-master", "proton-mq-nsq", "proton-etcd", "grafana", "a",
        "r1", "x".repeat(53));
  }

  static Stream<String> badReleases() {
    return Stream.of("Kafka", "-kafka", "kafka-", "kafka_1", "kafka.v1", "kafka;ls", "kafka --all",
        "x".repeat(54));
  }

  @ParameterizedTest
  @MethodSource("goodReleases")
  void helmReleasesAccepted(String release) {
    assertThat(HelmReleases.require(release)).isEqualTo(release);
  }

  @ParameterizedTest
  @MethodSource("badReleases")
  void helmReleasesRefused(String release) {
    assertThatThrownBy(() -> HelmReleases.require(release))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Helm release name " + Shown.value(release) + " is not valid");
  }
}
