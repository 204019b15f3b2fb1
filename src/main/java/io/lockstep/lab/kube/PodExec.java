package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The {@code exec} subresource of pods ({@code kubectl exec}, fabric8's {@code exec()}), over
 * WebSocket with the {@code v4.channel.k8s.io} protocol: the command's output on channel 1, its
 * errors on channel 2, and its exit status as a {@code Status} on channel 3. The lab's containers
 * run no images, so what a command can do is what the lab gives them: {@code sh -c} with one simple
 * command ({@link ContainerShell}), and in a MySQL container the {@code mysql} client
 * ({@link MysqlClientCommand}), which speaks the MySQL protocol to the lab's real database server.
 * The container's environment is its spec's ({@code value}, or {@code secretKeyRef} read from the
 * pod's cluster: a Secret missing there leaves the variable unset).
 */
final class PodExec {

  /** A command's end: its exit status and what it printed. */
  record Result(int exit, String out, String err) {
    static Result of(int exit, String err) {
      return new Result(exit, "", err.endsWith("\n") || err.isEmpty() ? err : err + "\n");
    }
  }

  /** What runs a program in a container: argv (the program first) and the container's environment. */
  interface Programs {
    Optional<Result> run(Pod pod, Container container, List<String> argv, Map<String, String> env);
  }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final ExecutorService RUNNER = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "lab-kube-exec");
    t.setDaemon(true);
    return t;
  });

  private final Supplier<KubernetesClient> cluster;
  private final Programs programs;

  /** @param cluster the pod's cluster, whose Secrets fill the containers' environment */
  PodExec(Supplier<KubernetesClient> cluster, Programs programs) {
    this.cluster = cluster;
    this.programs = programs;
  }

  static boolean handles(RestPath path) {
    return path.plural().equals("pods") && path.groupVersion().equals("v1") && "exec".equals(path.subresource());
  }

  /** Answers an exec request; {@code podJson} is the pod as stored (null: none). */
  MockResponse answer(RecordedRequest request, RestPath path, String podJson) {
    if (podJson == null) {
      return Statuses.of(404, "NotFound", "pods \"" + path.name() + "\" not found");
    }
    if (!"websocket".equalsIgnoreCase(Objects.requireNonNullElse(request.getHeader("Upgrade"), ""))) {
      return Statuses.of(400, "BadRequest", "the lab serves exec over WebSocket (v4.channel.k8s.io) only");
    }
    Pod pod = JSON.unmarshal(podJson, Pod.class);
    List<String> argv = parameters(request.getPath(), "command");
    List<Container> containers = Objects.requireNonNullElse(pod.getSpec().getContainers(), List.of());
    String name = parameters(request.getPath(), "container").stream().findFirst()
        .orElse(containers.isEmpty() ? "" : containers.get(0).getName());
    Optional<Container> container = containers.stream().filter(c -> c.getName().equals(name)).findFirst();
    if (container.isEmpty()) {
      return Statuses.of(400, "BadRequest", "container " + name + " is not valid for pod " + path.name());
    }
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return Statuses.of(400, "BadRequest", "unable to upgrade connection: container not found (\"" + name + "\")");
    }
    if (argv.isEmpty()) {
      return Statuses.of(400, "BadRequest", "you must specify at least one command for the container");
    }
    return new MockResponse().withWebSocketUpgrade(new Session(() -> run(pod, container.get(), argv)));
  }

  private Result run(Pod pod, Container container, List<String> argv) {
    Map<String, String> env = environment(pod, container);
    return ContainerShell.run(argv, env, (words, environment) -> programs.run(pod, container, words, environment)
        .orElseGet(() -> Result.of(127, "sh: 1: " + words.get(0) + ": not found")));
  }

  private Map<String, String> environment(Pod pod, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (EnvVar var : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret = cluster.get().secrets().inNamespace(pod.getMetadata().getNamespace()).withName(ref.getName()).get();
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
        if (encoded != null) {
          env.put(var.getName(), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        }
      }
    }
    return env;
  }

  /** Every value of a repeated query parameter, decoded. */
  static List<String> parameters(String pathWithQuery, String name) {
    List<String> values = new ArrayList<>();
    int start = pathWithQuery.indexOf('?');
    if (start < 0) {
      return values;
    }
    for (String pair : pathWithQuery.substring(start + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  /** One exec: runs the command off the server's event loop, sends its output and status, closes. */
  private static final class Session extends WebSocketListener {

    private final Supplier<Result> command;

    Session(Supplier<Result> command) {
      this.command = command;
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
      RUNNER.execute(() -> {
        Result result;
        try {
          result = command.get();
        } catch (RuntimeException e) {
          result = Result.of(126, "lab: the command failed: " + e);
        }
        send(socket, 1, result.out());
        send(socket, 2, result.err());
        send(socket, 3, status(result.exit()));
        socket.close(1000, "");
      });
    }

    private static void send(WebSocket socket, int channel, String text) {
      if (text.isEmpty()) {
        return;
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      byte[] frame = new byte[bytes.length + 1];
      frame[0] = (byte) channel;
      System.arraycopy(bytes, 0, frame, 1, bytes.length);
      socket.send(frame);
    }

    private static String status(int exit) {
      if (exit == 0) {
        return "{\"metadata\":{},\"status\":\"Success\"}";
      }
      return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
          + "error executing command, exit status " + exit + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
          + "[{\"reason\":\"ExitCode\",\"message\":\"" + exit + "\"}]}}";
    }
  }
}
