package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kubeconfig the lab writes for its clients: one cluster at the API server's plain-HTTP
 * address, a bearer token (the lab accepts any), and the context {@value #CONTEXT} in namespace
 * {@code default}, plus one context {@code lockstep-MEMBER} per Kosmos member cluster. Real kubectl
 * and fabric8 both read it unchanged.
 */
final class Kubeconfig {

  static final String CONTEXT = "lockstep-lab";
  static final String TOKEN = "lockstep-lab-token";

  private Kubeconfig() {}

  static String render(String serverUrl) {
    return render(serverUrl, Map.of());
  }

  /**
   * The kubeconfig with the host cluster as context {@value #CONTEXT} (the current one) and one
   * context {@code lockstep-MEMBER} per Kosmos member cluster, in the given order.
   */
  static String render(String serverUrl, Map<String, String> memberUrls) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(CONTEXT, serverUrl);
    memberUrls.forEach((member, url) -> all.put(context(member), url));
    StringBuilder clusters = new StringBuilder();
    StringBuilder users = new StringBuilder();
    StringBuilder contexts = new StringBuilder();
    all.forEach((name, url) -> {
      clusters.append("- name: %1$s\n  cluster:\n    server: %2$s\n".formatted(name, url));
      users.append("- name: %1$s-admin\n  user:\n    token: %2$s\n".formatted(name, TOKEN));
      contexts.append("- name: %1$s\n  context:\n    cluster: %1$s\n    user: %1$s-admin\n    namespace: default\n"
          .formatted(name));
    });
    return "apiVersion: v1\nkind: Config\nclusters:\n" + clusters + "users:\n" + users + "contexts:\n" + contexts
        + "current-context: " + CONTEXT + "\npreferences: {}\n";
  }

  /** The context of a Kosmos member cluster. */
  static String context(String member) {
    return "lockstep-" + member;
  }

  /** Writes the file atomically, so a reader never sees half of it. */
  static void write(Path file, String serverUrl) {
    write(file, serverUrl, Map.of());
  }

  /** Writes the file with the member clusters' contexts too, atomically. */
  static void write(Path file, String serverUrl, Map<String, String> memberUrls) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, render(serverUrl, memberUrls), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lab kubeconfig " + file, e);
    }
  }
}
