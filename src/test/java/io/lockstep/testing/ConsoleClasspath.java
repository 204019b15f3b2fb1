package io.lockstep.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * The classpath a test runs with, as the console's own JVM needs it.
 *
 * <p>{@code java.class.path} is not always the classpath. Surefire and Failsafe start the test JVM
 * from a manifest-only jar ({@code surefirebooter*.jar}, whose manifest {@code Class-Path} lists
 * the real entries as URLs relative to the jar); Failsafe 3.5 then sets {@code java.class.path}
 * to the real entries (and {@code surefire.real.class.path} to the jar), but other runners do not:
 * an IDE that shortens the command line with a manifest jar leaves that jar as the whole {@code
 * java.class.path}. {@link #ofThisTest()} expands such a jar, so a child started with the result
 * sees the same classes under {@code ./mvnw verify} as in an IDE.
 *
 * <p>{@link #asJars(Path)} packs the directories of a classpath ({@code target/classes},
 * {@code target/test-classes}) into jars, because a class-data-sharing archive only takes classes
 * from jars (see {@link SharedClasses}). The jars are named by a fingerprint of the directory
 * (every file's path, size and time), so an unchanged directory keeps its jar, byte for byte and
 * with the same time, and the archive made for it stays valid.
 */
final class ConsoleClasspath {

  private ConsoleClasspath() {}

  /** The entries of this JVM's classpath that exist, manifest-only jars replaced by what they list. */
  static List<Path> ofThisTest() {
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry).toAbsolutePath().normalize();
      List<Path> listed = manifestOnly(path);
      entries.addAll(listed.isEmpty() ? List.of(path) : listed);
    }
    return entries.stream().filter(Files::exists).toList();
  }

  /**
   * The entries a jar's manifest {@code Class-Path} names, when the jar holds nothing else (no
   * class, no resource besides its manifest); empty for any other entry.
   */
  static List<Path> manifestOnly(Path entry) {
    if (!Files.isRegularFile(entry) || !entry.getFileName().toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (classPath == null || classPath.isBlank()
          || jar.stream().anyMatch(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/"))) {
        return List.of();
      }
      URI base = entry.toUri();
      List<Path> listed = new ArrayList<>();
      for (String url : classPath.trim().split("\\s+")) {
        listed.add(Path.of(base.resolve(url)).toAbsolutePath().normalize());
      }
      return listed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + entry, e);
    }
  }

  /**
   * Where the build writes its output: the folder holding {@code test-classes} ({@code target},
   * or what {@code -Dbuild.dir} named), else {@code ./target}.
   */
  static Path buildDir(List<Path> classpath) {
    return classpath.stream().filter(p -> p.getFileName() != null && p.getFileName().toString().equals("test-classes"))
        .map(Path::getParent).findFirst().orElse(Path.of("target").toAbsolutePath());
  }

  /** {@code classpath} with every directory replaced by a jar of it, made under {@code jarDir}. */
  static List<Path> asJars(List<Path> classpath, Path jarDir) {
    List<Path> jars = new ArrayList<>();
    for (Path entry : classpath) {
      jars.add(Files.isDirectory(entry) ? jarOf(entry, jarDir) : entry);
    }
    return jars;
  }

  static String joined(List<Path> classpath) {
    return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
  }

  /** A hex SHA-256 of the text, shortened: names files after what they were made from. */
  static String fingerprint(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path jarOf(Path dir, Path jarDir) {
    List<Path> files = files(dir);
    StringBuilder listing = new StringBuilder(dir.toString()).append('\n');
    try {
      for (Path file : files) {
        listing.append(dir.relativize(file)).append(' ').append(Files.size(file)).append(' ')
            .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
      }
      String name = dir.getFileName() + "-" + fingerprint(listing.toString());
      Path jar = jarDir.resolve(name + ".jar");
      if (Files.exists(jar)) {
        return jar;
      }
      Files.createDirectories(jarDir);
      try (Stream<Path> old = Files.list(jarDir)) {
        for (Path stale : old.filter(p -> p.getFileName().toString().startsWith(dir.getFileName() + "-")).toList()) {
          Files.deleteIfExists(stale);
        }
      }
      Path partial = Files.createTempFile(jarDir, name, ".part");
      write(dir, files, partial);
      Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + dir + " into a jar", e);
    }
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path dir, List<Path> files, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      zip.setLevel(Deflater.BEST_SPEED);
      Set<String> folders = new LinkedHashSet<>();
      for (Path file : files) {
        String name = String.join("/", Arrays.stream(dir.relativize(file).toString().split("[/\\\\]")).toList());
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
          String folder = name.substring(0, slash + 1);
          if (folders.add(folder)) {
            zip.putNextEntry(new JarEntry(folder));
            zip.closeEntry();
          }
        }
        JarEntry entry = new JarEntry(name);
        entry.setTime(Files.getLastModifiedTime(file).toMillis());
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }
}
