package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabSeed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab killed right after it answered, then started again on the same files: every answered
 * change is there. {@link RunningLab#kill()} leaves the files as SIGKILL would (nothing is buffered
 * in the JVM and nothing more is written); {@code LabSurvivesSigkillIT} kills a real process.
 */
class LabKubeCrashTest {

  private static final String NS = "default";

  @TempDir
  Path state;

  /** Issue 11: proton-cli apply adding nodes, then a crash — the nodes were gone after the restart. */
  @Test
  void everyChangeTheLabAnsweredIsBackAfterItIsKilled() throws Exception {
    String configMapUid;
    try (RunningLab lab = RunningLab.start(state)) {
      configMapUid = lab.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("answered").addToLabels("scale", "1e3").endMetadata().addToData("k", "v").build())
          .create().getMetadata().getUid();
      lab.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("gone")
          .endMetadata().build()).create();
      lab.client.secrets().inNamespace(NS).withName("gone").delete();
      lab.client.apps().deployments().inNamespace(lab.appNamespace()).withName("anyshare-web").scale(1);
      lab.client.nodes().withName("node-2").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec()
          .build());
      lab.client.genericKubernetesResources(nebula(lab)).inNamespace(lab.resourceNamespace()).withName("nebula")
          .edit(cr -> {
            Map<String, String> annotations = new java.util.HashMap<>(
                Optional.ofNullable(cr.getMetadata().getAnnotations()).orElse(Map.of()));
            annotations.put("lockstep.io/touched", "yes");
            cr.getMetadata().setAnnotations(annotations);
            return cr;
          });

      ConfFile added = ConfFile.of(lab.kube.protonConf());
      List.of("node-4", "node-5", "node-6").forEach(n -> added.withMaster(lab.seed.node(n).orElseThrow()));
      lab.kube.applyProtonConf(added.yaml(), Optional.of(lab.seed.platform().rootPassword()), line -> { });
      String removing = ConfFile.of(lab.kube.protonConf()).without("node-5").without("node-6").yaml();
      assertThatThrownBy(() -> lab.kube.applyProtonConf(removing, Optional.empty(), line -> { }))
          .isInstanceOf(LabCommandException.class).hasMessageContaining("context deadline exceeded");
      lab.kube.helmDelete(lab.resourceNamespace(), List.of("zookeeper"));
      lab.kube.kubeletChanged("node-3", false);
      lab.kube.etcdChanged("node-1", false);
      lab.kill();
    }

    try (RunningLab lab = RunningLab.restart(state)) {
      ConfigMap answered = lab.client.configMaps().inNamespace(NS).withName("answered").get();
      assertThat(answered.getMetadata().getUid()).isEqualTo(configMapUid);
      assertThat(answered.getMetadata().getLabels()).containsEntry("scale", "1e3");
      assertThat(lab.client.secrets().inNamespace(NS).withName("gone").get()).isNull();
      assertThat(lab.client.apps().deployments().inNamespace(lab.appNamespace()).withName("anyshare-web").get()
          .getSpec().getReplicas()).isEqualTo(1);
      assertThat(NodeObjects.cordoned(lab.client.nodes().withName("node-2").get())).isTrue();
      assertThat(lab.client.genericKubernetesResources(nebula(lab)).inNamespace(lab.resourceNamespace())
          .withName("nebula").get().getMetadata().getAnnotations()).containsEntry("lockstep.io/touched", "yes");
      assertThat(ProtonConf.parse(lab.kube.protonConf()).nodeNames())
          .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
      assertThat(lab.client.nodes().withName("node-6").get().getMetadata().getLabels())
          .containsKey(NodeObjects.CONTROL_PLANE);
      assertThat(lab.client.apps().statefulSets().inNamespace(lab.resourceNamespace()).withName("zookeeper").get())
          .isNull();
      assertThat(NodeObjects.ready(lab.client.nodes().withName("node-3").get())).isFalse();
      assertThat(lab.kube.etcdActive("node-1")).isFalse();
      assertThat(lab.kube.etcdActive("node-2")).isTrue();

      String removing = ConfFile.of(lab.kube.protonConf()).without("node-5").without("node-6").yaml();
      lab.kube.applyProtonConf(removing, Optional.empty(), line -> { });
      assertThat(lab.client.nodes().withName("node-6").get()).as("the retry after the crash works").isNull();
      String later = lab.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("later").endMetadata().build()).create().getMetadata().getResourceVersion();
      assertThat(Long.parseLong(later)).isGreaterThan(Long.parseLong(answered.getMetadata().getResourceVersion()));
    }
  }

  /** Kosmos member clusters journal their own stores the same way. */
  @Test
  void aMemberClustersAnsweredWritesAreBackAfterTheLabIsKilled() {
    try (KosmosLab lab = KosmosLab.start(state)) {
      lab.member1.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("in-member-1").endMetadata().addToData("k", "v").build()).create();
      lab.member2.nodes().withName(lab.member2.nodes().list().getItems().get(0).getMetadata().getName())
          .edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
      lab.kill();
    }
    try (KosmosLab lab = KosmosLab.start(state)) {
      assertThat(lab.member1.configMaps().inNamespace(NS).withName("in-member-1").get()).isNotNull();
      assertThat(lab.member2.nodes().list().getItems()).anyMatch(NodeObjects::cordoned);
    }
  }

  @Test
  void aLineTornByTheKillIsLeftOutAndCutOffBeforeTheNextWrite() throws Exception {
    try (RunningLab lab = RunningLab.start(state)) {
      create(lab, "before", "v");
      lab.kill();
    }
    Path journal = lastJournal();
    byte[] torn = ("{\"op\":\"put\",\"path\":\"/api/v1/namespaces/default/configmaps\",\"name\":\"torn\",\"rv\":99999,"
        + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"k\":\"caf\u00e9")
        .getBytes(StandardCharsets.UTF_8);
    Files.write(journal, java.util.Arrays.copyOf(torn, torn.length - 1), StandardOpenOption.APPEND);

    try (RunningLab lab = RunningLab.restart(state)) {
      assertThat(lab.client.configMaps().inNamespace(NS).withName("before").get()).isNotNull();
      assertThat(lab.client.configMaps().inNamespace(NS).withName("torn").get()).isNull();
      create(lab, "after", "v");
      lab.kill();
    }
    assertThat(Files.readString(lastJournal())).endsWith("\n").doesNotContain("\"torn\"");
    try (RunningLab lab = RunningLab.restart(state)) {
      assertThat(lab.client.configMaps().inNamespace(NS).withName("before").get()).isNotNull();
      assertThat(lab.client.configMaps().inNamespace(NS).withName("after").get()).isNotNull();
    }
  }

  /** Writers in parallel, journals compacted meanwhile (the burst outgrows the threshold), then the kill. */
  @Test
  void aBurstOfWritesFromSeveralClientsIsBackAfterTheLabIsKilled() throws Exception {
    Map<String, String> expected = new ConcurrentHashMap<>();
    try (RunningLab lab = RunningLab.start(state)) {
      long generationBefore = snapshotGeneration();
      ExecutorService writers = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          for (int i = 0; i < 400; i++) {
            String name = "burst-" + writer + "-" + i;
            create(lab, name, "v1-" + "x".repeat(4096));
            expected.put(name, "v1");
            if (i % 5 == 0) {
              lab.client.configMaps().inNamespace(NS).withName(name)
                  .edit(c -> new ConfigMapBuilder(c).addToData("k", "v2").build());
              expected.put(name, "v2");
            } else if (i % 7 == 0) {
              lab.client.configMaps().inNamespace(NS).withName(name).delete();
              expected.remove(name);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      writers.shutdown();
      await().atMost(RunningLab.PATIENCE).until(() -> snapshotGeneration() > generationBefore);
      lab.kill();
    }
    try (RunningLab lab = RunningLab.restart(state)) {
      Map<String, String> found = new java.util.HashMap<>();
      for (ConfigMap c : lab.client.configMaps().inNamespace(NS).list().getItems()) {
        if (c.getMetadata().getName().startsWith("burst-")) {
          found.put(c.getMetadata().getName(), c.getData().get("k").substring(0, 2));
        }
      }
      assertThat(found).isEqualTo(expected);
    }
  }

  /**
   * A compaction writes the new snapshot, then deletes the journals it replaces. Killed in between,
   * the lab finds a journal older than its snapshot: replaying it would undo later changes.
   */
  @Test
  void aJournalOlderThanTheSnapshotIsNotReplayed() throws Exception {
    try (RunningLab lab = RunningLab.start(state)) {
      create(lab, "x", "v1");
      lab.kill();
    }
    Path stale = lastJournal();
    byte[] staleLines = Files.readAllBytes(stale);
    try (RunningLab lab = RunningLab.restart(state)) {
      lab.client.configMaps().inNamespace(NS).withName("x").edit(c -> new ConfigMapBuilder(c).addToData("k", "v2")
          .build());
    } // a stop compacts: a new snapshot, the old journal deleted
    assertThat(stale).doesNotExist();
    Files.write(stale, staleLines);
    Files.writeString(state.resolve("cluster").resolve(SnapshotFile.NAME + ".tmp"), "{\"half a snap");

    try (RunningLab lab = RunningLab.restart(state)) {
      assertThat(lab.client.configMaps().inNamespace(NS).withName("x").get().getData()).containsEntry("k", "v2");
    }
    assertThat(stale).doesNotExist();
    assertThat(state.resolve("cluster").resolve(SnapshotFile.NAME + ".tmp")).doesNotExist();
  }

  /** Killed after appends moved to a new journal but before the new snapshot was in place: both journals count. */
  @Test
  void aCompactionKilledBeforeItsSnapshotLosesNothing() throws Exception {
    try (RunningLab lab = RunningLab.start(state)) {
      create(lab, "first", "v1");
      create(lab, "second", "v1");
      lab.client.configMaps().inNamespace(NS).withName("first").edit(c -> new ConfigMapBuilder(c).addToData("k", "v2")
          .build());
      lab.kill();
    }
    Path journal = lastJournal();
    List<String> lines = Files.readAllLines(journal);
    int half = lines.size() / 2;
    Path next = journal.resolveSibling("journal-" + (generationOf(journal) + 1) + ".jsonl");
    Files.write(journal, lines.subList(0, half));
    Files.write(next, lines.subList(half, lines.size()));

    try (RunningLab lab = RunningLab.restart(state)) {
      assertThat(lab.client.configMaps().inNamespace(NS).withName("first").get().getData()).containsEntry("k", "v2");
      assertThat(lab.client.configMaps().inNamespace(NS).withName("second").get()).isNotNull();
    }
  }

  /** A complete line that is not JSON is no crash's doing: the state is set aside, not half-restored. */
  @Test
  void aDamagedLineInsideTheJournalMakesTheStateUnreadable() throws Exception {
    try (RunningLab lab = RunningLab.start(state)) {
      create(lab, "one", "v");
      create(lab, "two", "v");
      lab.kill();
    }
    Path journal = lastJournal();
    List<String> lines = new ArrayList<>(Files.readAllLines(journal));
    lines.set(0, "{\"op\":\"put\" damaged");
    Files.write(journal, lines);
    try (RunningLab lab = RunningLab.restart(state)) {
      lab.awaitAllPodsReady();
      assertThat(lab.client.configMaps().inNamespace(NS).withName("two").get()).isNull();
    }
    try (Stream<Path> entries = Files.list(state)) {
      assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("cluster.unreadable-"));
    }
  }

  private static void create(RunningLab lab, String name, String value) {
    lab.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .endMetadata().addToData("k", value).build()).create();
  }

  private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext nebula(RunningLab lab) {
    LabSeed.Component component = lab.seed.component("nebula").orElseThrow();
    return new BaseComponent(component, lab.resourceNamespace()).crType();
  }

  private Path lastJournal() throws Exception {
    try (Stream<Path> files = Files.list(state.resolve("cluster"))) {
      return files.filter(f -> f.getFileName().toString().matches("journal-\\d+\\.jsonl"))
          .max(java.util.Comparator.comparingLong(LabKubeCrashTest::generationOf)).orElseThrow();
    }
  }

  private static long generationOf(Path journal) {
    return Long.parseLong(journal.getFileName().toString().replaceAll("\\D", ""));
  }

  private long snapshotGeneration() throws Exception {
    try (var in = Files.newBufferedReader(state.resolve("cluster").resolve(SnapshotFile.NAME))) {
      return Long.parseLong(in.readLine().replaceAll(".*\"generation\":(\\d+).*", "$1"));
    }
  }
}
