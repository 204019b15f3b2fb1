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
        long cpu = processCpu();
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
        cpu = processCpu() - cpu;
        System.out.printf("lab write burst, round %d: %d creates in %d ms (%d us each), %d edits in %d ms (%d us each);"
            + " the JVM's CPU meanwhile %d ms (client, server, controllers, persistence); state on disk %d KiB%n",
            round, WRITES, createMillis, createMillis * 1000 / WRITES, WRITES, patchMillis, patchMillis * 1000 / WRITES,
            cpu / 1_000_000, sizeOf(dir.resolve("cluster")) / 1024);
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

  /**
   * The journal's own cost, measured where a busy machine hurts least: the same {@value #WRITES}
   * creates and {@value #WRITES} JSON patches dispatched straight into two stores in this JVM, one
   * journaled and one not, alternately; then what a compaction and a restart of that store take
   * (by the clock).
   */
  @Test
  void theStoreWithAndWithoutItsJournal() throws Exception {
    long bestPlain = Long.MAX_VALUE;
    long bestJournaled = Long.MAX_VALUE;
    long bestInJournal = Long.MAX_VALUE;
    for (int round = 1; round <= 6; round++) {
      LabDispatcher store = new LabDispatcher();
      ClusterStorage storage = new ClusterStorage(store, state.resolve("store-" + round));
      storage.open();
      TimedLog timed = new TimedLog(storage);
      store.logChangesTo(timed);
      boolean plainFirst = round % 2 == 1; // neither always gets the warmer JIT
      long plain = plainFirst ? writes(new LabDispatcher()) : 0;
      long journaled = writes(store);
      plain = plainFirst ? plain : writes(new LabDispatcher());
      long start = System.nanoTime();
      storage.compact();
      long compaction = (System.nanoTime() - start) / 1_000_000;
      storage.close(false);
      start = System.nanoTime();
      LabDispatcher restored = new LabDispatcher();
      new ClusterStorage(restored, state.resolve("store-" + round)).open();
      long restore = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("lab store, round %d: %d creates + %d patches in-process: %d ms CPU without the journal,"
          + " %d ms CPU with it (%+d us a write), of which in the journal %d ms (%d us a write);"
          + " compaction of %d objects %d ms; restore %d ms (%d objects)%n",
          round, WRITES, WRITES, plain / 1_000_000, journaled / 1_000_000, (journaled - plain) / 1000 / (2 * WRITES),
          timed.cpu / 1_000_000, timed.cpu / 1000 / (2 * WRITES),
          WRITES, compaction, restore, restored.list(ApiCatalog.withCustom(java.util.List.of()).stream()
              .filter(t -> t.plural().equals("configmaps")).findFirst().orElseThrow()).size());
      if (round > 1) { // the first round warms the JIT up
        bestPlain = Math.min(bestPlain, plain);
        bestJournaled = Math.min(bestJournaled, journaled);
        bestInJournal = Math.min(bestInJournal, timed.cpu);
      }
    }
    System.out.printf("lab store, least CPU of rounds 2-6 (the least disturbed by neighbours): %d ms without the"
        + " journal, %d ms with it (%+d us a write); in the journal itself %d us a write%n", bestPlain / 1_000_000,
        bestJournaled / 1_000_000, (bestJournaled - bestPlain) / 1000 / (2 * WRITES),
        bestInJournal / 1000 / (2 * WRITES));
  }

  /** The journal's own CPU time: what the store spends in its change log. */
  private static final class TimedLog implements ChangeLog {
    private final ChangeLog log;
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu;

    TimedLog(ChangeLog log) {
      this.log = log;
    }

    @Override
    public void put(StoreKey key, long version, String object) {
      long start = threads.getCurrentThreadCpuTime();
      log.put(key, version, object);
      cpu += threads.getCurrentThreadCpuTime() - start;
    }

    @Override
    public void delete(StoreKey key, long version) {
      long start = threads.getCurrentThreadCpuTime();
      log.delete(key, version);
      cpu += threads.getCurrentThreadCpuTime() - start;
    }
  }

  /**
   * CPU nanoseconds this thread spends on the creates and patches, dispatched as the API server
   * would (the journal's write(2) included: thread CPU time counts system time). CPU time rather
   * than the clock: on a machine shared with busy neighbours the clock measures the neighbours.
   */
  private static long writes(LabDispatcher store) {
    String path = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < WRITES; i++) {
      String body = store.serialization().asJson(configMap(i));
      store.dispatch(request(io.fabric8.mockwebserver.dsl.HttpMethod.POST, path, "application/json", body));
    }
    for (int i = 0; i < WRITES; i++) {
      store.dispatch(request(io.fabric8.mockwebserver.dsl.HttpMethod.PATCH, path + "/" + name(i),
          "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/data/patched\",\"value\":\"yes\"}]"));
    }
    return threads.getCurrentThreadCpuTime() - start;
  }

  private static io.fabric8.mockwebserver.http.RecordedRequest request(io.fabric8.mockwebserver.dsl.HttpMethod method,
      String path, String contentType, String body) {
    return new io.fabric8.mockwebserver.http.RecordedRequest("HTTP/1.1", method, path,
        io.fabric8.mockwebserver.http.Headers.builder().add("Content-Type", contentType).build(),
        new io.fabric8.mockwebserver.http.Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
