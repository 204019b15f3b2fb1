package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How soon a wait notices that its condition holds: {@code wait.pods-gone} (P1 "stop applications",
 * by watch) against the seed's loop, which lists the pods every 5 seconds. Both wait for the last
 * pod of a namespace to go; the pod is deleted at a random moment; the latency is from the delete
 * to the wait's return. Runs against fabric8's mock API server in CRUD mode, with watches.
 *
 * <pre>
 * java -cp … io.lockstep.kubesteps.ReadinessBenchmark --rounds=20 --poll-rounds=6
 * </pre>
 */
public final class ReadinessBenchmark {

  private ReadinessBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = intArg(args, "--rounds=", 20);
    int pollRounds = intArg(args, "--poll-rounds=", 6);
    Random random = new Random(7);
    ExecutorService pool = Executors.newCachedThreadPool();
    try (TestCluster cluster = new TestCluster()) {
      KubernetesClient client = cluster.client;
      AKube kube = new AKube(client);
      WaitPodsGone wait = new WaitPodsGone(cluster.kubernetes);
      List<Long> watch = new ArrayList<>();
      for (int i = 0; i < rounds + 2; i++) {
        kube.pod("app-" + i, "app", "node-1");
        var context = new RecordingContext(Map.of("namespace", "anyshare"), Duration.ofMinutes(1));
        Future<String> waiting = pool.submit(() -> wait.execute(context));
        Thread.sleep(300 + random.nextInt(700));
        long deleted = System.nanoTime();
        client.pods().inNamespace("anyshare").withName("app-" + i).delete();
        waiting.get(30, TimeUnit.SECONDS);
        if (i >= 2) { // the first rounds warm up the client and the informers
          watch.add((System.nanoTime() - deleted) / 1_000);
        }
      }
      List<Long> poll = new ArrayList<>();
      for (int i = 0; i < pollRounds; i++) {
        kube.pod("poll-" + i, "app", "node-1");
        long[] deleted = new long[1];
        Future<?> poller = pool.submit(() -> {
          while (true) {
            List<Pod> left = client.pods().inNamespace("anyshare").list().getItems().stream()
                .filter(p -> p.getStatus() == null || !"Succeeded".equals(p.getStatus().getPhase())).toList();
            if (left.isEmpty()) {
              return null;
            }
            Thread.sleep(5_000);
          }
        });
        Thread.sleep(300 + random.nextInt(5_000));
        deleted[0] = System.nanoTime();
        client.pods().inNamespace("anyshare").withName("poll-" + i).delete();
        poller.get(30, TimeUnit.SECONDS);
        poll.add((System.nanoTime() - deleted[0]) / 1_000);
      }
      System.out.printf("readiness detection, last pod deleted -> wait returns (%d watch rounds, %d poll rounds)%n",
          watch.size(), poll.size());
      System.out.printf("%-28s %10s %10s %10s%n", "", "median", "p95", "max");
      System.out.printf("%-28s %10s %10s %10s%n", "wait.pods-gone (watch)", ms(pct(watch, 50)), ms(pct(watch, 95)),
          ms(Collections.max(watch)));
      System.out.printf("%-28s %10s %10s %10s%n", "kubectl loop, 5 s poll", ms(pct(poll, 50)), ms(pct(poll, 95)),
          ms(Collections.max(poll)));
    } finally {
      pool.shutdownNow();
    }
  }

  private static long pct(List<Long> values, int percent) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }

  private static String ms(long micros) {
    return String.format("%.1f ms", micros / 1000.0);
  }

  private static int intArg(String[] args, String prefix, int otherwise) {
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return Integer.parseInt(arg.substring(prefix.length()));
      }
    }
    return otherwise;
  }
}
