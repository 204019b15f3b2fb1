package io.lockstep.kubesteps;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of executors against one mock API per test class, emptied before each test: starting a
 * server and a client for every test would cost more than most tests take.
 */
abstract class KubeStepTest {

  static TestCluster cluster;
  static KubernetesClient client;
  AKube kube;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    client = cluster.client;
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void emptyCluster() {
    cluster.reset();
    kube = new AKube(client);
  }
}
