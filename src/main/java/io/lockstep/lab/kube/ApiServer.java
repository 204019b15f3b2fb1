package io.lockstep.lab.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP endpoint of the lab's Kubernetes API on 127.0.0.1, serving the {@link LabDispatcher}
 * while the control plane is up, and 503 to every client but the lab's own while it is down (as a
 * real API server without etcd quorum answers, or a load balancer without API servers behind it).
 *
 * <p>The mock web server records every request it answers in an unbounded queue meant for tests'
 * {@code takeRequest()}; a lab that runs for days would slowly fill the heap with them, so each
 * request's record is dropped once it has been answered.
 */
final class ApiServer {

  /**
   * The mock web server logs every request at INFO through java.util.logging; the lab keeps quiet.
   * Held here because java.util.logging forgets the level of a logger nobody references.
   */
  private static final java.util.logging.Logger REQUEST_LOG = quiet(MockWebServer.class.getName());

  /** The header the lab's own client sends: its controllers keep working while the API is "down". */
  static final String INTERNAL_HEADER = "X-Lockstep-Lab-Internal";

  private final LabDispatcher dispatcher;
  private final Supplier<Optional<String>> down;
  private MockWebServer web;
  private KubernetesMockServer server;

  /**
   * @param down why the API server is unavailable now (etcd has no quorum, no master runs the API
   *     server's container); empty while it serves. Clients other than the lab's own get 503 then.
   */
  ApiServer(LabDispatcher dispatcher, Supplier<Optional<String>> down) {
    this.dispatcher = dispatcher;
    this.down = down;
  }

  /** Starts listening on {@code port} (0 picks a free one). */
  void start(int port) {
    web = new MockWebServer();
    MockWebServer recorder = web;
    Dispatcher forgetful = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        try {
          Optional<String> why = request.getHeader(INTERNAL_HEADER) == null ? down.get() : Optional.empty();
          if (why.isPresent()) {
            return Statuses.of(503, "ServiceUnavailable", why.get());
          }
          return dispatcher.dispatch(request);
        } finally {
          forget(recorder);
        }
      }
    };
    server = new KubernetesMockServer(new Context(), web, new HashMap<>(), forgetful, false);
    try {
      server.start(InetAddress.getByName("127.0.0.1"), port);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  void stop() {
    if (server != null) {
      server.shutdown();
      server = null;
      dispatcher.shutdown();
    }
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private static void forget(MockWebServer recorder) {
    try {
      while (recorder.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
        // drop the record: nobody reads it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
