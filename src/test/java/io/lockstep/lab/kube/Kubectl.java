package io.lockstep.lab.kube;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl binary pointed at a lab's kubeconfig; tests using it are skipped where it is absent. */
final class Kubectl {

  static final Path BINARY = Path.of("/usr/bin/kubectl");

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    assumeTrue(Files.isExecutable(BINARY), "kubectl is not installed at " + BINARY);
    this.kubeconfig = kubeconfig;
  }

  /** Runs kubectl with the arguments; returns stdout, or fails with stderr when it exits non-zero. */
  String run(String... args) {
    Result result = attempt(args);
    if (result.status() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " exited " + result.status() + ": " + result.err());
    }
    return result.out();
  }

  Result attempt(String... args) {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("kubectl", ".err");
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
      }
      String errText = Files.readString(err);
      Files.delete(err);
      return new Result(process.exitValue(), out, errText);
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  record Result(int status, String out, String err) {}
}
