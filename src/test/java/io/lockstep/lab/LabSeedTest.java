package io.lockstep.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LabSeedTest {

  @Test
  void theShippedSeedDescribesTheP1Platform() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      LabSeed seed = LabSeed.read(in);
      assertThat(seed.nodes()).hasSize(6);
      assertThat(seed.nodes().stream().filter(LabSeed.Node::master)).hasSize(3);
      assertThat(seed.nodes().stream().filter(LabSeed.Node::newNode)).hasSize(3);
      assertThat(seed.apps().deployments()).extracting(LabSeed.Workload::name).contains("deploy-service");
      int workloads = seed.apps().deployments().size() + seed.apps().statefulSets().size()
          + seed.apps().daemonSets().size();
      assertThat(workloads).isGreaterThanOrEqualTo(16);
      assertThat(seed.components()).extracting(LabSeed.Component::name)
          .contains("kafka", "zookeeper", "grafana", "nebula", "mariadb", "mongodb");
      assertThat(seed.component("mariadb").orElseThrow().operator().pvLabel()).isEqualTo("app=mariadb-mariadb");
      assertThat(seed.unitsOf(seed.node("node-1").orElseThrow())).contains("kubelet", "etcd");
      assertThat(seed.unitsOf(seed.node("node-4").orElseThrow())).contains("kubelet").doesNotContain("etcd");
    }
  }

  @Test
  void aComponentOnAnUnknownNodeIsRefusedWithItsName() {
    String yaml = """
        platform: { rootPassword: x }
        nodes: [ { name: n1, ip: 127.0.10.1 } ]
        components: [ { name: kafka, kind: helm, dataPath: /d, nodes: [n9] } ]
        """;
    assertThatThrownBy(() -> LabSeed.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .hasStackTraceContaining("component kafka names unknown node n9");
  }
}
