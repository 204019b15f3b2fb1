package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

  @TempDir
  Path temp;

  private Sandbox sandbox;
  private Path root;

  @BeforeEach
  void createRoot() throws Exception {
    root = temp.resolve("nodes/node-1/root");
    Files.createDirectories(root.resolve("root"));
    Files.createDirectories(root.resolve("sysvol/kafka"));
    sandbox = new Sandbox(root);
  }

  @Test
  void absolutePathsMapBelowTheRootAndRelativeOnesBelowRootsHome() {
    assertThat(sandbox.resolve("/sysvol/kafka")).isEqualTo(root.resolve("sysvol/kafka"));
    assertThat(sandbox.resolve("conf.yaml")).isEqualTo(root.resolve("root/conf.yaml"));
    assertThat(sandbox.resolve("../sysvol/./kafka/")).isEqualTo(root.resolve("sysvol/kafka"));
    assertThat(sandbox.resolve("/")).isEqualTo(root);
  }

  @Test
  void rsyncArgumentsKeepTheTrailingSlash() {
    assertThat(sandbox.argument("/sysvol/kafka/")).isEqualTo(root.resolve("sysvol/kafka") + "/");
    assertThat(sandbox.argument("/sysvol/kafka")).isEqualTo(root.resolve("sysvol/kafka").toString());
    assertThat(sandbox.argument("/sysvol/kafka/.")).isEqualTo(root.resolve("sysvol/kafka") + "/");
  }

  @Test
  void climbingAboveTheRootIsRefused() {
    assertThatThrownBy(() -> sandbox.resolve("/../../etc/passwd")).isInstanceOf(SandboxException.class)
        .hasMessageContaining("/../../etc/passwd");
    assertThatThrownBy(() -> sandbox.resolve("../../..")).isInstanceOf(SandboxException.class);
  }

  @Test
  void aSymbolicLinkOutOfTheSandboxIsRefused() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("sysvol/escape"), outside);
    Files.createSymbolicLink(root.resolve("sysvol/inside"), root.resolve("sysvol/kafka"));
    assertThatThrownBy(() -> sandbox.resolve("/sysvol/escape/secret")).isInstanceOf(SandboxException.class);
    assertThatThrownBy(() -> sandbox.resolve("/sysvol/escape")).isInstanceOf(SandboxException.class);
    assertThat(sandbox.resolve("/sysvol/inside/x")).isEqualTo(root.resolve("sysvol/inside/x"));
  }

  @Test
  void nodePathsReadBackFromHostPaths() {
    assertThat(sandbox.nodePath(root.resolve("sysvol/kafka"))).isEqualTo("/sysvol/kafka");
    assertThat(new HostPaths(temp.resolve("nodes")).toNodePaths(
        "link_stat \"" + root.resolve("sysvol/x") + "\" failed; root " + root))
        .isEqualTo("link_stat \"/sysvol/x\" failed; root /");
  }
}
