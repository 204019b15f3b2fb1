package io.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive of the console's classes (JDK AppCDS, {@code
 * -XX:SharedArchiveFile}), so that each start of a {@link ConsoleProcess} maps the classes it
 * loaded last time instead of reading, parsing and verifying some 20,000 of them again.
 *
 * <p>Why: until {@code /actuator/health} answers, a start of the console on the lab (without
 * Kosmos and the VM cluster) costs about 31 s of CPU with the default JIT, 15-17 s with C1 only
 * ({@code -XX:TieredStopAtLevel=1}) and 8-10 s with C1 and this archive (measured on this 2-core
 * machine with other builds running; most of it is Spring creating beans and loading classes, no
 * single hot spot). A crash test starts the console many times, on a machine others share.
 *
 * <p>How: the archive is made once per classpath by a training start of the console with {@code
 * -XX:ArchiveClassesAtExit} that serves a few requests and is then stopped normally (the JVM
 * writes the archive as it exits; a killed JVM writes none). It is kept under {@code
 * target/console-process/cds}, named by a fingerprint of the classpath and the JVM, and made
 * again when either changes. Archives only take classes from jars, so the classpath's
 * directories are packed into jars first ({@link ConsoleClasspath#asJars}); the console then
 * runs from those jars, as it does in production from its own. A JVM that finds the archive
 * unusable says so on its output and starts without it; a training that fails leaves the
 * console starting without an archive. {@code -Dlockstep.test.console-cds=false} turns it off.
 */
final class SharedClasses {

  static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("lockstep.test.console-cds", "true"));
  private static final Duration TRAINING_STOP = Duration.ofMinutes(2);

  private static final String LOCK = ".lock";
  private static List<Path> cachedFor;
  private static Launch cached;

  private SharedClasses() {}

  /** The classpath and JVM options a console starts with; trains the archive first when needed. */
  record Launch(List<Path> classpath, List<String> jvmOptions) {}

  static synchronized Launch launch(List<Path> classpath, Path buildDir, List<String> jvmOptions) {
    if (!ENABLED) {
      return new Launch(classpath, List.of());
    }
    if (cached != null && classpath.equals(cachedFor)) {
      return cached;
    }
    List<Path> tests = classpath.stream().filter(SharedClasses::isTestOutput).toList();
    List<Path> rest = classpath.stream().filter(p -> !isTestOutput(p)).toList();
    Path dir = buildDir.resolve("console-process").resolve("cds");
    List<Path> archived;
    Path archive;
    // Test JVMs run side by side (forkCount): one packs and trains while the others wait for it.
    try (FileChannel channel = FileChannel.open(lockFile(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      archived = ConsoleClasspath.asJars(rest, dir);
      String key = ConsoleClasspath.fingerprint(ConsoleClasspath.joined(archived) + "|"
          + System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
          + String.join(" ", jvmOptions));
      archive = dir.resolve("console-" + key + ".jsa");
      if (!Files.exists(archive)) {
        train(archived, archive);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Path> runtime = new ArrayList<>(archived);
    runtime.addAll(tests);
    cached = Files.exists(archive)
        ? new Launch(runtime, List.of("-XX:SharedArchiveFile=" + archive))
        : new Launch(runtime, List.of());
    cachedFor = List.copyOf(classpath);
    return cached;
  }

  /**
   * The test classes stay a directory at the end of the classpath, out of the archive: a JVM may
   * run with entries appended to those its archive was made with, so editing a test does not
   * invalidate the archive (only the main classes and the dependencies are in it). Nothing in
   * them shadows a main class or resource, so their place on the classpath changes nothing.
   */
  private static boolean isTestOutput(Path entry) {
    return entry.getFileName() != null && entry.getFileName().toString().equals("test-classes");
  }

  private static void train(List<Path> jars, Path archive) {
    long started = System.nanoTime();
    Path partial = archive.resolveSibling(archive.getFileName() + ".part");
    Path state;
    try {
      deleteOthers(archive.getParent(), jars);
      state = Files.createTempDirectory("lockstep-cds-training-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConsoleProcess training = ConsoleProcess.builder(state).name("cds-training").classpath(jars)
        .jvmOption("-XX:ArchiveClassesAtExit=" + partial).build();
    try {
      training.startAndWait();
      exercise(training.client());
      int exit = training.stop(TRAINING_STOP);
      if (Files.exists(partial)) {
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      }
      System.out.printf("console class-sharing archive %s trained in %d ms (exit %d)%n", Files.exists(archive)
          ? archive : "NOT", Duration.ofNanos(System.nanoTime() - started).toMillis(), exit);
    } catch (RuntimeException | IOException | AssertionError e) {
      System.out.println("console class-sharing archive not trained, the console starts without: " + e
          + "; see " + training.log());
    } finally {
      training.close();
      deleteTree(state);
    }
  }

  /** Requests that load the classes of the API, security, JSON and audit paths the tests use. */
  private static void exercise(ConsoleClient console) {
    List<HttpResponse<String>> answers = new ArrayList<>();
    answers.add(console.anonymous("/login"));
    answers.add(console.getAs("op1", ConsoleProcess.DEMO_PASSWORD, "/api/plans"));
    answers.add(console.postAs("op1", ConsoleProcess.DEMO_PASSWORD, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"class-sharing training\"}"));
    answers.add(console.getAs("op1", ConsoleProcess.DEMO_PASSWORD, "/api/runs"));
    answers.add(console.getAs("viewer", ConsoleProcess.DEMO_PASSWORD, "/api/audit?size=5"));
    answers.add(console.getAs("viewer", ConsoleProcess.DEMO_PASSWORD, "/api/audit/verify"));
    answers.add(console.getAs("op1", ConsoleProcess.DEMO_PASSWORD, "/api/inventory"));
    for (HttpResponse<String> answer : answers) {
      if (answer.statusCode() >= 300) {
        System.out.println("class-sharing training: " + answer.uri() + " answered " + answer.statusCode());
      }
    }
  }

  private static Path lockFile(Path dir) throws IOException {
    Files.createDirectories(dir);
    return dir.resolve(LOCK);
  }

  /** Deletes the archives and jars of earlier classpaths (target/ is the build's: nobody else's files). */
  private static void deleteOthers(Path dir, List<Path> keep) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path old : files.filter(p -> !keep.contains(p) && !p.getFileName().toString().equals(LOCK)).toList()) {
        Files.deleteIfExists(old);
      }
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.out.println("could not delete " + dir + ": " + e);
    }
  }
}
