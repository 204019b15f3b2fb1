package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code mysql} client of the lab's MySQL containers (image percona, mysql or mariadb), for
 * statements given with {@code -e}: it resolves the host as the cluster's DNS would — a Service of
 * the pod's cluster ({@code NAME}, {@code NAME.NS}, {@code NAME.NS.svc[.cluster.local]}), in a member
 * cluster the one Kosmos imports — takes a ready endpoint of it (its EndpointSlices, or the pods its
 * selector picks), finds the MySQL server that answers at that address ({@code serverAt}: the ready
 * pod of a MysqlCluster with that IP) and runs the statement in that cluster's database
 * ({@link MysqlDatabases}) over the MySQL protocol. Output as mysql's batch mode prints it (tabs,
 * {@code NULL}, column names unless {@code -N}); errors as {@code ERROR 2005 (HY000): …}, status 1.
 * The password is {@code -p…}/{@code --password=…} or {@code MYSQL_PWD}; {@code --init-command}
 * runs first on the same connection, as mysql does (its failure fails the connection).
 */
final class MysqlClientCommand implements PodExec.Programs {

  /** A MySQL server's cluster: the MysqlCluster's namespace and name. */
  record Server(String namespace, String cluster) {}

  private final Supplier<KubernetesClient> cluster;
  private final Function<String, Optional<Server>> serverAt;
  private final MysqlDatabases databases;

  MysqlClientCommand(Supplier<KubernetesClient> cluster, Function<String, Optional<Server>> serverAt,
      MysqlDatabases databases) {
    this.cluster = cluster;
    this.serverAt = serverAt;
    this.databases = databases;
  }

  @Override
  public Optional<PodExec.Result> run(Pod pod, Container container, List<String> argv, Map<String, String> env) {
    String program = argv.get(0);
    String image = Objects.toString(container.getImage(), "");
    if (!(program.equals("mysql") || program.endsWith("/mysql")) || !image.matches(".*(percona|mysql|mariadb).*")) {
      return Optional.empty();
    }
    Options options;
    try {
      options = Options.parse(argv.subList(1, argv.size()), env);
    } catch (IllegalArgumentException e) {
      return Optional.of(PodExec.Result.of(7, "mysql: " + e.getMessage()));
    }
    if (options.execute == null) {
      return Optional.of(PodExec.Result.of(1, "mysql: the lab's mysql client runs statements given with -e only"));
    }
    try {
      Server server = connect(pod.getMetadata().getNamespace(), options.host, options.port);
      MysqlDatabases.Answer answer = databases.run(server.namespace(), server.cluster(), options.host, options.user,
          options.password, options.initCommand, options.execute);
      return Optional.of(new PodExec.Result(0, batch(answer, options.columnNames), ""));
    } catch (MysqlDatabases.ServerError e) {
      return Optional.of(PodExec.Result.of(1, "ERROR " + e.code + " (" + e.state + ")" + " at line 1: " + e.getMessage()));
    }
  }

  /** The server at {@code host:port} as seen from a pod of namespace {@code namespace}. */
  private Server connect(String namespace, String host, int port) throws MysqlDatabases.ServerError {
    String[] parts = host.split("\\.");
    String name = parts[0];
    String ns = parts.length > 1 ? parts[1] : namespace;
    boolean dnsName = parts.length == 1 || parts.length == 2 || (parts.length >= 3 && parts[2].equals("svc")
        && (parts.length == 3 || host.endsWith(".svc.cluster.local")));
    KubernetesClient client = cluster.get();
    Service service = dnsName ? client.services().inNamespace(ns).withName(name).get() : null;
    if (service == null) {
      throw new MysqlDatabases.ServerError(2005, "HY000", "Unknown MySQL server host '" + host + "' (-2)");
    }
    Optional<ServicePort> servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port)
        .findFirst();
    if (servicePort.isEmpty()) {
      throw refused(host);
    }
    for (String address : endpoints(client, service, servicePort.get())) {
      Optional<Server> server = serverAt.apply(address);
      if (server.isPresent()) {
        return server.get();
      }
    }
    throw refused(host);
  }

  private static MysqlDatabases.ServerError refused(String host) {
    return new MysqlDatabases.ServerError(2002, "HY000", "Can't connect to MySQL server on '" + host + "' (111)");
  }

  /** The ready addresses behind a Service: its EndpointSlices', else its selector's ready pods'. */
  private static List<String> endpoints(KubernetesClient client, Service service, ServicePort port) {
    String ns = service.getMetadata().getNamespace();
    List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(ns)
        .withLabel(KosmosServices.SERVICE_NAME, service.getMetadata().getName()).list().getItems();
    List<String> addresses = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      for (Endpoint endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
        if (endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady())) {
          addresses.addAll(endpoint.getAddresses());
        }
      }
    }
    Map<String, String> selector = service.getSpec().getSelector();
    if (slices.isEmpty() && selector != null && !selector.isEmpty()) {
      client.pods().inNamespace(ns).withLabels(selector).list().getItems().stream()
          .filter(p -> PodObjects.ready(p) && p.getStatus().getPodIP() != null)
          .forEach(p -> addresses.add(p.getStatus().getPodIP()));
    }
    return addresses;
  }

  /** mysql's batch output: tab-separated, NULL for null, tab/newline/backslash escaped. */
  private static String batch(MysqlDatabases.Answer answer, boolean columnNames) {
    if (answer.columns().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (columnNames) {
      out.append(String.join("\t", answer.columns().stream().map(MysqlClientCommand::escape).toList())).append('\n');
    }
    for (List<String> row : answer.rows()) {
      out.append(String.join("\t", row.stream().map(v -> v == null ? "NULL" : escape(v)).toList())).append('\n');
    }
    return out.toString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }

  /** The options the lab's client understands; anything else is refused as mysql refuses an unknown option. */
  private static final class Options {
    String host = "localhost";
    int port = MysqlObjects.PORT;
    String user = "root";
    String password;
    String execute;
    String initCommand;
    boolean columnNames = true;

    static Options parse(List<String> args, Map<String, String> env) {
      Options o = new Options();
      o.password = env.getOrDefault("MYSQL_PWD", "");
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String value = a.contains("=") && a.startsWith("--") ? a.substring(a.indexOf('=') + 1) : null;
        String option = value == null ? a : a.substring(0, a.indexOf('='));
        switch (option) {
          case "-B", "--batch", "-s", "--silent", "--skip-pager", "--no-auto-rehash" -> { }
          case "-N", "--skip-column-names" -> o.columnNames = false;
          case "-h", "--host" -> o.host = value != null ? value : next(args, ++i, option);
          case "-P", "--port" -> o.port = port(value != null ? value : next(args, ++i, option));
          case "-u", "--user" -> o.user = value != null ? value : next(args, ++i, option);
          case "-e", "--execute" -> o.execute = value != null ? value : next(args, ++i, option);
          case "--password" -> o.password = value != null ? value : "";
          case "--init-command" -> o.initCommand = value != null ? value : next(args, ++i, option);
          case "--connect-timeout", "--protocol" -> {
            if (value == null) {
              next(args, ++i, option);
            }
          }
          default -> {
            if (a.startsWith("-h") && a.length() > 2) {
              o.host = a.substring(2);
            } else if (a.startsWith("-P") && a.length() > 2) {
              o.port = port(a.substring(2));
            } else if (a.startsWith("-u") && a.length() > 2) {
              o.user = a.substring(2);
            } else if (a.startsWith("-p") && a.length() > 2) {
              o.password = a.substring(2);
            } else {
              throw new IllegalArgumentException("unknown option '" + a + "'");
            }
          }
        }
      }
      return o;
    }

    private static String next(List<String> args, int i, String option) {
      if (i >= args.size()) {
        throw new IllegalArgumentException("option '" + option + "' requires an argument");
      }
      return args.get(i);
    }

    private static int port(String text) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid port '" + text + "'");
      }
    }
  }
}
