package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The kubeconfig the lab writes for its clients: one cluster at the API server's plain-HTTP
 * address, a bearer token (the lab accepts any), and the context {@value #CONTEXT} in namespace
 * {@code default}. Real kubectl and fabric8 both read it unchanged.
 */
final class Kubeconfig {

  static final String CONTEXT = "lockstep-lab";
  static final String TOKEN = "lockstep-lab-token";

  private Kubeconfig() {}

  static String render(String serverUrl) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s-admin
          user:
            token: %3$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s-admin
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(CONTEXT, serverUrl, TOKEN);
  }

  /** Writes the file atomically, so a reader never sees half of it. */
  static void write(Path file, String serverUrl) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, render(serverUrl), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lab kubeconfig " + file, e);
    }
  }
}
