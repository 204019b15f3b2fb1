package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the lab's persistence costs a burst of API writes: {@value #WRITES} ConfigMaps created, then
 * each patched once, one after the other through the fabric8 client, then a restart on the same
 * files. Prints its figures; asserts only that the restart found every object (a timed assertion
 * would fail on a busy machine, not on slow code). Not part of the suite (its name does not end in
 * Test): run it with {@code ./mvnw -q -B -Dtest=ClusterWriteBurstBenchmark test}.
 */
class ClusterWriteBurstBenchmark {

  static final int WRITES = 2000;
  private static final String NAMESPACE = "default";

  @TempDir
  Path state;

  @Test
  void aBurstOfWrites() throws Exception {
    for (int round = 1; round <= 2; round++) {
      Path dir = state.resolve("round-" + round);
      long createMillis;
      long patchMillis;
      try (RunningLab lab = RunningLab.start(dir)) {
        warmUp(lab);
        long start = System.nanoTime();
        for (int i = 0; i < WRITES; i++) {
          lab.client.configMaps().inNamespace(NAMESPACE).resource(configMap(i)).create();
        }
        createMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        for (int i = 0; i < WRITES; i++) {
          lab.client.configMaps().inNamespace(NAMESPACE).withName(name(i))
              .edit(c -> new ConfigMapBuilder(c).addToData("patched", "yes").build());
        }
        patchMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("lab write burst, round %d: %d creates in %d ms (%d us each), %d edits in %d ms (%d us each);"
            + " state on disk %d KiB%n", round, WRITES, createMillis, createMillis * 1000 / WRITES, WRITES,
            patchMillis, patchMillis * 1000 / WRITES, sizeOf(dir.resolve("cluster")) / 1024);
      }
      long start = System.nanoTime();
      try (RunningLab again = RunningLab.restart(dir)) {
        long restartMillis = (System.nanoTime() - start) / 1_000_000;
        long found = again.client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
            .filter(c -> c.getMetadata().getName().startsWith("burst-") && "yes".equals(c.getData().get("patched")))
            .count();
        System.out.printf("lab write burst, round %d: restart on the same files in %d ms, %d of %d objects back%n",
            round, restartMillis, found, WRITES);
        assertThat(found).isEqualTo(WRITES);
      }
    }
  }

  /** A few hundred writes first, so the JIT and the connection pool are warm when the clock runs. */
  private static void warmUp(RunningLab lab) {
    for (int i = 0; i < 300; i++) {
      lab.client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("warm-" + i).endMetadata().withData(Map.of("k", "v")).build()).create();
      lab.client.configMaps().inNamespace(NAMESPACE).withName("warm-" + i).delete();
    }
  }

  private static ConfigMap configMap(int i) {
    return new ConfigMapBuilder().withNewMetadata().withName(name(i)).withNamespace(NAMESPACE)
        .addToLabels("app", "burst").addToLabels("ordinal", String.valueOf(i)).endMetadata()
        .withData(Map.of("settings.yaml", "replicas: 3\nnode: node-" + (i % 6) + "\n" + "x".repeat(512)))
        .build();
  }

  private static String name(int i) {
    return "burst-" + i;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
