package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A step on six nodes in parallel reports six exit statuses from six threads at once: what is
 * stored last must name all six, however the writes interleave. The store here takes a random
 * moment for each write, as a database under load does.
 */
class EngineStepContextTest {

  @RepeatedTest(20)
  void everyNodesExitStatusOfAParallelStepIsStored() throws Exception {
    AtomicReference<String> stored = new AtomicReference<>();
    EngineStepContext.Facts slowStore = new EngineStepContext.Facts() {
      @Override
      public void lastAction(String action) {
      }

      @Override
      public void lastExit(String exits) {
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stored.set(exits);
      }
    };
    EngineStepContext context = new EngineStepContext("run-1", "stop", "kubelet", Map.of(), Duration.ofMinutes(1),
        null, slowStore);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> nodes = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      String node = "node-" + i;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        context.exitStatus(node, 0);
      });
      thread.start();
      nodes.add(thread);
    }
    go.countDown();
    for (Thread thread : nodes) {
      thread.join();
    }
    assertThat(stored.get()).isEqualTo("node-1=0 node-2=0 node-3=0 node-4=0 node-5=0 node-6=0");
  }
}
