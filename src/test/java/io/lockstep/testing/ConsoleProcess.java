package io.lockstep.testing;

import io.lockstep.LockstepApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/**
 * The console as a JVM of its own, for tests that kill it the way a crash does.
 *
 * <p>Why a process: closing a Spring context and opening another in the same JVM is a clean stop,
 * however abrupt it looks: H2 flushes on close, and nothing a kill loses is lost. Only a process
 * that dies of SIGKILL loses what it had not written yet (issue 11: with H2's default write delay,
 * 5 of 30 answered plans were gone after a {@code kill -9}).
 *
 * <p>The console runs {@code java -cp <this test's runtime classpath> <main>} (by default {@link
 * LockstepApplication}; {@link CrashPointConsole} for crash points) on the lab, with its state
 * on disk under {@link #dir()}: the H2 database in {@code db/} with the URL options of the shipped
 * {@code application.yml} (so the test exercises the durability the product ships), the lab in
 * {@code lab/}. HTTP and SSH ports are chosen once and kept, so {@link #restart} starts on the same
 * files and ports, as a console restarted by systemd would. The lab's Kubernetes API takes a free
 * port at each start (the kubeconfig in {@code lab/} names it). Test classes on that classpath are
 * not picked up by component scanning: Spring Boot's test jar registers its {@code
 * TestTypeExcludeFilter} in every application it finds itself in.
 *
 * <p>Everything the console prints (stdout and stderr) is appended to {@link #log()} under
 * {@code target/console-process/}, one block per start. Lines starting with {@value
 * #MARKER_PREFIX} are also kept for {@link #awaitMarker}: the protocol by which {@link
 * CrashPointConsole} says it holds at a crash point.
 *
 * <p>Starting fast matters (a crash test starts the console again and again on a shared 2-core
 * machine): the child runs with C1 only ({@code -XX:TieredStopAtLevel=1}: it lives seconds, C2's
 * compiler threads would only compete for the cores), the serial collector, without the lab's
 * Kosmos members and VM cluster (P5/P6 only), and with a class-data-sharing archive of its
 * classes ({@link SharedClasses}). Measured figures are in {@link #startTimes()}.
 */
public final class ConsoleProcess implements AutoCloseable {

  public static final String DEMO_PASSWORD = "lockstep-demo";
  /** Output lines starting with this are markers, kept for {@link #awaitMarker}. */
  public static final String MARKER_PREFIX = "LOCKSTEP-";
  /** How a JVM killed with SIGKILL exits, as {@link Process#exitValue()} reports it: 128 + 9. */
  public static final int SIGKILL_EXIT = 137;

  static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final List<Path> CLASSPATH = ConsoleClasspath.ofThisTest();

  private final Builder settings;
  private final int port;
  private final int sshPort;
  private final Path log;
  private final List<Duration> startTimes = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();
  private final Object markerLock = new Object();
  private final Thread cleanup;
  private volatile Process process;
  private Thread pump;
  private volatile int lifetime;

  private ConsoleProcess(Builder settings) {
    this.settings = settings;
    this.port = freePort();
    this.sshPort = LabConsoleTest.freePortOnNodeAddresses();
    this.log = ConsoleClasspath.buildDir(CLASSPATH).resolve("console-process").resolve(settings.name + ".log");
    this.cleanup = new Thread(this::killQuietly, "console-process-cleanup");
  }

  /** A console keeping its state under {@code dir} (created if missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** How to start a console; {@link #start()} starts it and waits until it answers. */
  public static final class Builder {

    private final Path dir;
    private String name = "console";
    private String mainClass = LockstepApplication.class.getName();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
    private List<Path> classpath;

    private Builder(Path dir) {
      this.dir = dir.toAbsolutePath();
    }

    /** Names the log file ({@code target/console-process/NAME.log}) and the threads. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The class whose {@code main} starts the console, e.g. {@link CrashPointConsole}. */
    public Builder main(Class<?> main) {
      this.mainClass = main.getName();
      return this;
    }

    /** A setting for every start ({@code --name=value}); replaces a default of the same name. */
    public Builder property(String name, String value) {
      properties.put(name, value);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** Runs on exactly these entries, without a class-sharing archive (the archive's training). */
    Builder classpath(List<Path> entries) {
      this.classpath = List.copyOf(entries);
      return this;
    }

    public ConsoleProcess start() {
      return start(Map.of());
    }

    /** Starts it with {@code once} added to the settings for this start only. */
    public ConsoleProcess start(Map<String, String> once) {
      ConsoleProcess console = build();
      console.launch(once);
      return console;
    }

    ConsoleProcess build() {
      return new ConsoleProcess(this);
    }
  }

  /** Starts it (the first time) and waits until it answers. */
  void startAndWait() {
    launch(Map.of());
  }

  /**
   * Starts the console again on the same files and ports after {@link #kill} or {@link #stop},
   * with {@code once} added to the settings for this start only (a crash point for this life);
   * returns when it answers.
   */
  public void restart(Map<String, String> once) {
    launch(once);
  }

  public void restart() {
    restart(Map.of());
  }

  /**
   * Kills the console with SIGKILL and waits until it is gone: no shutdown hook, no flush, no
   * close, as a crash. Processes the console had started (the lab's rsync and ssh) are killed
   * right after it if they outlive it. Fails unless the JVM died of the signal (exit {@value
   * #SIGKILL_EXIT}).
   *
   * @return {@link System#nanoTime()} just before the signal was sent
   */
  public long kill() {
    Process p = alive();
    List<ProcessHandle> children = p.descendants().toList();
    long at = System.nanoTime();
    p.destroyForcibly();
    int exit = waitFor(p, Duration.ofSeconds(60));
    List<String> leftovers = killLeftovers(children);
    joinPump();
    append("=== " + settings.name + " killed with SIGKILL: exit " + exit + ", "
        + Duration.ofNanos(System.nanoTime() - at).toMillis() + " ms to be gone"
        + (leftovers.isEmpty() ? "" : "; its processes still running, killed too: " + leftovers));
    if (exit != SIGKILL_EXIT) {
      throw new AssertionError("the console did not die of SIGKILL: exit " + exit + " (expected " + SIGKILL_EXIT
          + "); see " + log);
    }
    return at;
  }

  /** Stops the console normally (SIGTERM: Spring closes, H2 flushes); its exit status. */
  public int stop(Duration atMost) {
    Process p = alive();
    p.destroy();
    int exit = waitFor(p, atMost);
    if (p.isAlive()) {
      p.destroyForcibly();
      exit = waitFor(p, Duration.ofSeconds(30));
    }
    killLeftovers(p.descendants().toList());
    joinPump();
    append("=== " + settings.name + " stopped: exit " + exit);
    return exit;
  }

  /**
   * Waits until the console prints a {@value #MARKER_PREFIX} line containing {@code text} in its
   * current life; that line. Fails (with the end of its output) when it ends first or the time is up.
   */
  public String awaitMarker(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (markerLock) {
      while (true) {
        for (String marker : markers) {
          if (marker.contains(text)) {
            return marker;
          }
        }
        if (process == null || !process.isAlive()) {
          throw new AssertionError("the console ended before printing '" + text + "'" + exitAndTail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the console printed no '" + text + "' within " + timeout + exitAndTail());
        }
        try {
          markerLock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return alive().pid();
  }

  /** The HTTP port, the same in every life. */
  public int port() {
    return port;
  }

  /** The port of the lab nodes' SSH servers, the same in every life. */
  public int sshPort() {
    return sshPort;
  }

  public ConsoleClient client() {
    return new ConsoleClient(port);
  }

  /** Where its state lives: {@code db/} (H2), {@code lab/} (the lab's state directory). */
  public Path dir() {
    return settings.dir;
  }

  public Path labDir() {
    return settings.dir.resolve("lab");
  }

  /** The file its output goes to. */
  public Path log() {
    return log;
  }

  /** How many times it was started. */
  public int lives() {
    return lifetime;
  }

  /** Time from each launch until {@code /actuator/health} answered UP, in order. */
  public List<Duration> startTimes() {
    synchronized (startTimes) {
      return List.copyOf(startTimes);
    }
  }

  /** Kills it if it still runs (SIGKILL, without the exit check of {@link #kill}). */
  @Override
  public void close() {
    killQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down already, or the hook was never added
    }
  }

  // ---- launching

  private synchronized void launch(Map<String, String> once) {
    if (isAlive()) {
      throw new IllegalStateException("the console still runs (pid " + process.pid() + "); kill or stop it first");
    }
    Map<String, String> settingsNow = new LinkedHashMap<>(defaults());
    settingsNow.putAll(settings.properties);
    settingsNow.putAll(once);
    SharedClasses.Launch launch = settings.classpath != null
        ? new SharedClasses.Launch(settings.classpath, List.of())
        : SharedClasses.launch(CLASSPATH, ConsoleClasspath.buildDir(CLASSPATH), settings.jvmOptions);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmOptions);
    command.addAll(launch.jvmOptions());
    command.add("-cp");
    command.add(ConsoleClasspath.joined(launch.classpath()));
    command.add(settings.mainClass);
    settingsNow.forEach((name, value) -> command.add("--" + name + "=" + value));
    try {
      Files.createDirectories(settings.dir);
      Files.createDirectories(log.getParent());
      if (lifetime == 0) {
        Files.deleteIfExists(log); // an earlier run's
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (markerLock) {
      lifetime++;
      markers.clear();
    }
    append("=== " + settings.name + " life " + lifetime + " starting at " + Instant.now() + ": " + settings.mainClass
        + " " + String.join(" ", command.subList(command.indexOf(settings.mainClass) + 1, command.size()))
        + " (JVM options " + settings.jvmOptions + launch.jvmOptions() + ")");
    long started = System.nanoTime();
    try {
      process = new ProcessBuilder(command).directory(settings.dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    if (lifetime == 1) {
      Runtime.getRuntime().addShutdownHook(cleanup);
    }
    Process started0 = process;
    int life = lifetime;
    pump = new Thread(() -> pump(started0, life), settings.name + "-output-" + life);
    pump.setDaemon(true);
    pump.start();
    awaitReady(started);
  }

  private Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("server.port", String.valueOf(port));
    defaults.put("spring.datasource.url", "jdbc:h2:file:" + settings.dir.resolve("db").resolve("lockstep") + h2Options());
    defaults.put("lockstep.lab.state-dir", labDir().toString());
    defaults.put("lockstep.lab.ssh-port", String.valueOf(sshPort));
    defaults.put("lockstep.lab.api-port", "0");
    defaults.put("lockstep.lab.pod-start-delay", "200ms");
    defaults.put("lockstep.lab.pod-termination-grace", "300ms");
    defaults.put("lockstep.lab.kosmos", "");
    defaults.put("lockstep.lab.vm-cluster", "");
    return defaults;
  }

  /**
   * The options of the shipped H2 URL ({@code ;AUTO_SERVER=FALSE;WRITE_DELAY=0}), read from
   * {@code application.yml}: the crash tests prove what the product ships, not a test's own URL.
   */
  static String h2Options() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource("application.yml"));
    Properties properties = yaml.getObject();
    String url = properties == null ? null : properties.getProperty("spring.datasource.url");
    if (url == null || !url.startsWith("jdbc:h2:")) {
      throw new IllegalStateException("application.yml has no H2 spring.datasource.url: " + url);
    }
    int semicolon = url.indexOf(';');
    return semicolon < 0 ? "" : url.substring(semicolon);
  }

  private void awaitReady(long started) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = started + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        joinPump();
        throw new AssertionError("the console ended while starting" + exitAndTail());
      }
      try {
        HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && answer.body().contains("UP")) {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          synchronized (startTimes) {
            startTimes.add(took);
          }
          append("=== " + settings.name + " life " + lifetime + " answers after " + took.toMillis() + " ms (pid "
              + process.pid() + ")");
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new AssertionError("the console did not answer within " + START_TIMEOUT + exitAndTail());
  }

  // ---- output

  private void pump(Process p, int life) {
    try (BufferedReader in = p.inputReader(StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        append(line);
        if (line.startsWith(MARKER_PREFIX)) {
          synchronized (markerLock) {
            if (life == lifetime) {
              markers.add(line);
            }
            markerLock.notifyAll();
          }
        }
      }
    } catch (IOException e) {
      // the pipe broke: the process is gone
    }
    synchronized (markerLock) {
      markerLock.notifyAll();
    }
  }

  private void append(String line) {
    synchronized (log) {
      try {
        Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private String exitAndTail() {
    String exit = process == null || process.isAlive() ? "" : " (exit " + process.exitValue() + ")";
    return exit + "; the end of its output (" + log + "):\n" + tail(60);
  }

  /** The last {@code lines} lines of its output. */
  public String tail(int lines) {
    try {
      synchronized (log) {
        List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      }
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  // ---- ending

  private Process alive() {
    if (!isAlive()) {
      throw new IllegalStateException("the console does not run");
    }
    return process;
  }

  private void killQuietly() {
    Process p = process;
    if (p != null && p.isAlive()) {
      List<ProcessHandle> children = p.descendants().toList();
      p.destroyForcibly();
      waitFor(p, Duration.ofSeconds(30));
      killLeftovers(children);
    }
  }

  private static List<String> killLeftovers(List<ProcessHandle> children) {
    List<String> killed = new ArrayList<>();
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        killed.add(child.pid() + " " + child.info().command().orElse("?"));
        child.destroyForcibly();
      }
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // gone or stuck; nothing more to do
      }
    }
    return killed;
  }

  private void joinPump() {
    try {
      if (pump != null) {
        pump.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int waitFor(Process p, Duration atMost) {
    try {
      if (p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        return p.exitValue();
      }
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
