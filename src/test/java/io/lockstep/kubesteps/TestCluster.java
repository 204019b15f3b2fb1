package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's mock Kubernetes API in CRUD mode, plus the one thing the executors need that the store
 * does not do: the pods' {@code eviction} subresource (the store would take the POST for a new
 * object). An eviction deletes the pod at once, as a kubelet with no grace period would, unless the
 * test holds evicted pods back (then the test deletes them, playing the kubelet) or blocks a pod's
 * evictions (429, as for a PodDisruptionBudget that allows no disruption).
 *
 * <p>The client does not retry 429 answers itself, so a blocked eviction answers at once. Watches
 * can be closed from the server's side ({@link Evictions#closeWatches()}), and a watch a client
 * closes is wound up without stalling the server ({@code forget}).
 */
final class TestCluster implements AutoCloseable {

  final Evictions evictions = new Evictions();
  final KubernetesMockServer server;
  final KubernetesClient client;
  final Kubernetes kubernetes;

  TestCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), evictions, false);
    server.init();
    client = server.createClient(builder -> builder.editOrNewConfig()
        .withRequestRetryBackoffLimit(0).withRequestTimeout(5_000).endConfig());
    kubernetes = new Kubernetes(new KubernetesProperties(null, null, "anyshare", "resource", Duration.ofSeconds(5)),
        client);
  }

  /** Empties the store and forgets evictions, for the next test. */
  void reset() {
    evictions.reset();
    evictions.blocked.clear();
    evictions.bodies.clear();
    evictions.evicted.clear();
    evictions.deleteAtOnce = true;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /** The store, with {@code POST …/pods/NAME/eviction} answered as an API server would. */
  static final class Evictions extends KubernetesCrudDispatcher {

    private static final Field LISTENERS = listeners();
    private static final Pattern EVICTION = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?");

    /** Pods ({@code ns/name}) whose evictions a PodDisruptionBudget refuses. */
    final Set<String> blocked = ConcurrentHashMap.newKeySet();
    /** Eviction bodies received, in order. */
    final List<String> bodies = new CopyOnWriteArrayList<>();
    /** Pods evicted ({@code ns/name}), in order. */
    final List<String> evicted = new CopyOnWriteArrayList<>();
    /** False: an evicted pod stays until the test deletes it (a pod shutting down gracefully). */
    volatile boolean deleteAtOnce = true;
    /** How many watches clients have opened. */
    final AtomicInteger watchesOpened = new AtomicInteger();
    private final Set<WebSocket> openWatches = ConcurrentHashMap.newKeySet();

    /** Closes every open watch from the server's side, as an API server does now and then. */
    void closeWatches() {
      openWatches.forEach(socket -> socket.close(1000, "closed by the test"));
    }

    /**
     * Winds up a closed watch without stalling the server. The store's listener, when its watch
     * closes, stops its sender thread and waits for it, up to a minute, on the server's event loop,
     * while a send in progress waits for that same event loop: a client closing a watch as an event
     * goes out stalls the server. So the listener first leaves the store's list (no event is sent
     * to it any more), then winds up on another thread.
     */
    private void forget(WebSocketListener listener) {
      try {
        ((Set<?>) LISTENERS.get(this)).remove(listener);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Field listeners() {
      try {
        Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException("fabric8's mock server changed: " + e.getMessage(), e);
      }
    }

    /** An event for a watch that is closing right now; the request that caused it still gets its answer. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
        GenericKubernetesResource resource, String newState) {
      try {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      } catch (RejectedExecutionException e) {
        // the watch was closed between the event and its sending
      }
    }

    @Override
    public MockResponse handleWatch(String path) {
      MockResponse response = super.handleWatch(path);
      WebSocketListener store = response.getWebSocketListener();
      return response.withWebSocketUpgrade(new WebSocketListener() {
        @Override
        public void onOpen(WebSocket webSocket, Response opened) {
          openWatches.add(webSocket);
          watchesOpened.incrementAndGet();
          store.onOpen(webSocket, opened);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
          openWatches.remove(webSocket);
          store.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
          openWatches.remove(webSocket);
          forget(store);
          CompletableFuture.runAsync(() -> store.onClosed(webSocket, code, reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
          openWatches.remove(webSocket);
          forget(store);
          CompletableFuture.runAsync(() -> store.onFailure(webSocket, failure, response));
        }
      });
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Matcher eviction = EVICTION.matcher(request.getPath());
      if (request.getMethod().equalsIgnoreCase("POST") && eviction.matches()) {
        return evict(eviction.group(1), eviction.group(2), request.getUtf8Body());
      }
      return super.dispatch(request);
    }

    private MockResponse evict(String namespace, String name, String body) {
      String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
      if (handleGet(podPath).code() != 200) {
        return status(404, "NotFound", "pods \"" + name + "\" not found");
      }
      bodies.add(body);
      if (blocked.contains(namespace + "/" + name)) {
        return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
      }
      evicted.add(namespace + "/" + name);
      if (deleteAtOnce) {
        handleDelete(podPath);
      }
      return status(201, null, null);
    }

    private static MockResponse status(int code, String reason, String message) {
      String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\""
          + (code < 300 ? "Success" : "Failure") + "\",\"code\":" + code
          + (message == null ? "" : ",\"reason\":\"" + reason + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"")
          + "}";
      return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
  }
}
