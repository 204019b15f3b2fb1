package io.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's JVM gets the real classpath, also when the test JVM was started from a manifest-only jar. */
class ConsoleClasspathTest {

  @TempDir
  Path dir;

  @Test
  void aManifestOnlyJarStandsForTheEntriesItLists() throws IOException {
    Path booter = jar(dir.resolve("surefire/surefirebooter-1.jar"),
        "../lib/a.jar ../classes/ ../with%20space/b.jar file:/opt/c.jar", false);

    assertThat(ConsoleClasspath.manifestOnly(booter)).containsExactly(dir.resolve("lib/a.jar"),
        dir.resolve("classes"), dir.resolve("with space/b.jar"), Path.of("/opt/c.jar"));
  }

  @Test
  void aJarWithClassesIsItself() throws IOException {
    Path library = jar(dir.resolve("library.jar"), "other.jar", true);

    assertThat(ConsoleClasspath.manifestOnly(library)).isEmpty();
    assertThat(ConsoleClasspath.manifestOnly(dir)).isEmpty();
  }

  @Test
  void theBuildDirectoryHoldsTheTestClasses() {
    assertThat(ConsoleClasspath.buildDir(java.util.List.of(Path.of("/w/lib.jar"), Path.of("/w/target-x/test-classes"))))
        .isEqualTo(Path.of("/w/target-x"));
  }

  private static Path jar(Path file, String classPath, boolean withClass) throws IOException {
    Files.createDirectories(file.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      if (withClass) {
        jar.putNextEntry(new JarEntry("a/B.class"));
        jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        jar.closeEntry();
      }
    }
    return file;
  }
}
