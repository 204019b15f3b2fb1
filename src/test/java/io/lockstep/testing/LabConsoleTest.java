package io.lockstep.testing;

import io.lockstep.run.TestSteps;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole console on the lab platform, as {@code ./mvnw
 * spring-boot:run} does, on a random HTTP port, a free SSH port, a fresh state directory and an
 * in-memory H2. Every subclass shares one application context (and so one lab). The context also
 * holds the engine's test executors ({@link TestSteps}) and its test procedure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
@Import(TestSteps.class)
public abstract class LabConsoleTest {

  public static final String DEMO_PASSWORD = "lockstep-demo";
  private static final Path STATE_DIR = createStateDir();
  private static final int SSH_PORT = freePortOnNodeAddresses();

  /**
   * Called once per application context Spring builds for a subclass (one shared by most; another
   * for a subclass that adds beans or mocks). Each context gets a database of its own: Spring pauses
   * a cached context while another runs and resumes it later, and two engines that take turns on one
   * database resumed each other's runs (a duplicate log line key, a run moved by the wrong engine).
   */
  @DynamicPropertySource
  static void labProperties(DynamicPropertyRegistry registry) {
    labProperties(registry, STATE_DIR, SSH_PORT, "lockstep-console-" + CONTEXTS.incrementAndGet());
  }

  private static final java.util.concurrent.atomic.AtomicInteger CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The console on the lab as every subclass runs it: state directory {@code stateDir}, the lab's
   * SSH servers on {@code sshPort}, in-memory H2 {@code database}. A test class that needs a console
   * and a database of its own calls this from its own {@code @DynamicPropertySource} and does NOT
   * extend this class: this class's properties are registered after a subclass's and win, so a
   * subclass naming another database silently shared {@code lockstep-console} (two engines on one
   * database) with the common context.
   */
  public static void labProperties(DynamicPropertyRegistry registry, Path stateDir, int sshPort, String database) {
    registry.add("lockstep.lab.state-dir", stateDir::toString);
    registry.add("lockstep.secrets.key-file", () -> stateDir.resolve("secrets.key").toString());
    registry.add("lockstep.lab.ssh-port", () -> sshPort);
    registry.add("lockstep.lab.api-port", () -> 0);
    registry.add("lockstep.lab.pod-start-delay", () -> "200ms");
    registry.add("lockstep.lab.pod-termination-grace", () -> "300ms");
    // etcd members are healthy as soon as systemctl starts them; a test that waits for a real
    // member's start sets LabNodes.etcdStartDelay for its own run
    registry.add("lockstep.lab.etcd-start-delay", () -> "0s");
    registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
    // The engine's test procedure (test.* steps of TestSteps) besides the shipped ones.
    registry.add("lockstep.procedure.user-dir", () -> "src/test/resources/run-procedures");
  }

  /** The lab's state directory: kubeconfig, known_hosts, client key, node sandboxes. */
  public static Path stateDir() {
    return STATE_DIR;
  }

  protected static int sshPort() {
    return SSH_PORT;
  }

  private static Path createStateDir() {
    try {
      return Files.createTempDirectory("lockstep-lab-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port free on 127.0.0.1 and on the lab nodes' loopback addresses (127.0.10.1-6). */
  public static int freePortOnNodeAddresses() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (freeOnAll(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port for the lab's SSH servers");
  }

  private static boolean freeOnAll(int port) {
    for (int i = 1; i <= 6; i++) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.10." + i))) {
        s.getLocalPort();
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
