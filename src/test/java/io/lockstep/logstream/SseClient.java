package io.lockstep.logstream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A reader of server-sent events over a plain socket, as small as the protocol allows: one HTTP/1.1
 * GET, chunked transfer decoding, the event-stream fields. Tests use it to see exactly what goes
 * over the wire, to disconnect for real, and to play a reader that stalls (connects and then never
 * reads). Each event gets the {@link System#nanoTime()} of its arrival.
 */
public final class SseClient implements AutoCloseable {

  /** One event; {@code id} and {@code name} are {@code null} when the event had none. */
  public record Event(String id, String name, String data, long receivedNanos) {}

  /** Marks the end of the stream in {@link #next}. */
  public static final Event CLOSED = new Event(null, "(closed)", "", 0);

  private final Socket socket;
  private final int status;
  private final Map<String, String> headers;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private SseClient(Socket socket, int status, Map<String, String> headers) {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
  }

  /** Connects, sends the request and reads the response head; events then queue up for {@link #next}. */
  public static SseClient open(int port, String path, Map<String, String> requestHeaders) throws IOException {
    return open(port, path, requestHeaders, null);
  }

  /** As {@link #open(int, String, Map)}, handing each event to {@code listener} instead of queueing it. */
  public static SseClient open(int port, String path, Map<String, String> requestHeaders, Consumer<Event> listener)
      throws IOException {
    Socket socket = request(port, path, requestHeaders, 0);
    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    String statusLine = readLine(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    SseClient client = new SseClient(socket, Integer.parseInt(statusLine.split(" ")[1]), headers);
    InputStream body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new ChunkedBody(in) : in;
    Thread reader = new Thread(() -> client.read(body, listener), "sse-client-" + port + path.hashCode());
    reader.setDaemon(true);
    reader.start();
    return client;
  }

  /** The value of an {@code Authorization} header for HTTP Basic. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Connects and sends the request, and never reads: a reader that stalled. */
  public static Socket stall(int port, String path, Map<String, String> requestHeaders) throws IOException {
    return request(port, path, requestHeaders, 4096);
  }

  public int status() {
    return status;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The next event, {@link #CLOSED} when the stream ended, {@code null} when none came in time. */
  public Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code count} line events (other events are skipped); fails when they do not come in time. */
  public List<Event> lines(int count, Duration timeout) throws InterruptedException {
    List<Event> lines = new ArrayList<>(count);
    while (lines.size() < count) {
      Event event = next(timeout);
      if (event == null || event == CLOSED) {
        throw new AssertionError("line " + (lines.size() + 1) + " of " + count + " did not come: "
            + (event == null ? "timed out" : "the stream closed"));
      }
      if ("line".equals(event.name())) {
        lines.add(event);
      }
    }
    return lines;
  }

  /** The comments (heartbeats and the like) that arrived so far, without their colon. */
  public List<String> comments() {
    return List.copyOf(comments);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static Socket request(int port, String path, Map<String, String> requestHeaders, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAccept: text/event-stream\r\n");
    requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    OutputStream out = socket.getOutputStream();
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return socket;
  }

  private void read(InputStream body, Consumer<Event> listener) {
    Consumer<Event> deliver = listener != null ? listener : events::add;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 64 * 1024)) {
      String id = null;
      String name = null;
      StringBuilder data = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            deliver.accept(new Event(id, name, data.toString(), System.nanoTime()));
          }
          id = null;
          name = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1));
        } else if (line.startsWith("id:")) {
          id = line.substring(3);
        } else if (line.startsWith("event:")) {
          name = line.substring(6);
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder(line.substring(5)) : data.append('\n').append(line.substring(5));
        }
      }
    } catch (IOException e) {
      // the connection was closed
    } finally {
      closed = true;
      events.add(CLOSED);
    }
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the response head");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
