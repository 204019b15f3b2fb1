package io.lockstep.sshsteps;

import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.RemotePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code etcdctl} needs from an etcd node's environment file ({@code /etc/etcd.env}, which
 * KubeKey writes and operators {@code source}): the client endpoints and the CA, certificate and
 * key. Read as data, never sourced: nothing in the file reaches a shell, and every value is checked
 * (URLs of the form {@code https://host:port}, absolute paths of plain characters) before it goes
 * into a command.
 *
 * @param endpoints the client URLs ({@code ETCD_LISTEN_CLIENT_URLS}, else {@code ETCD_ADVERTISE_CLIENT_URLS})
 */
record EtcdEnv(List<String> endpoints, String caFile, String certFile, String keyFile) {

  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?");

  /**
   * Parses the file's text: {@code KEY=VALUE} lines, values optionally quoted, {@code export}
   * allowed, comments and blank lines skipped.
   *
   * @throws StepFailedException a needed key is missing or a value is not what it should be
   */
  static EtcdEnv parse(String file, String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(line.substring(0, eq).strip(), value);
    }
    String urls = first(values, "ETCD_LISTEN_CLIENT_URLS", "ETCD_ADVERTISE_CLIENT_URLS", "ETCDCTL_ENDPOINTS")
        .orElseThrow(() -> missing(file, "ETCD_LISTEN_CLIENT_URLS"));
    List<String> endpoints = new ArrayList<>();
    for (String url : urls.split(",")) {
      String u = url.strip();
      if (!URL.matcher(u).matches()) {
        throw new StepFailedException(file + ": the client URL '" + u + "' is not of the form https://host:port");
      }
      endpoints.add(u);
    }
    return new EtcdEnv(List.copyOf(endpoints),
        path(file, values, "ETCD_TRUSTED_CA_FILE", "ETCDCTL_CACERT", "ETCDCTL_CA_FILE"),
        path(file, values, "ETCD_CERT_FILE", "ETCDCTL_CERT", "ETCDCTL_CERT_FILE"),
        path(file, values, "ETCD_KEY_FILE", "ETCDCTL_KEY", "ETCDCTL_KEY_FILE"));
  }

  /** {@code etcdctl --endpoints=… --cacert=… --cert=… --key=…} followed by {@code words}. */
  List<String> etcdctl(String program, String... words) {
    List<String> argv = new ArrayList<>(List.of(program, "--endpoints=" + String.join(",", endpoints),
        "--cacert=" + caFile, "--cert=" + certFile, "--key=" + keyFile));
    argv.addAll(List.of(words));
    return argv;
  }

  private static String path(String file, Map<String, String> values, String... keys) {
    String value = first(values, keys).orElseThrow(() -> missing(file, keys[0]));
    try {
      return RemotePaths.requireAbsolute(value);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(file + ": " + keys[0] + " is not a usable path: " + e.getMessage());
    }
  }

  private static Optional<String> first(Map<String, String> values, String... keys) {
    for (String key : keys) {
      String value = values.get(key);
      if (value != null && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static StepFailedException missing(String file, String key) {
    return new StepFailedException(file + " does not set " + key);
  }
}
