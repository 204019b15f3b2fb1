package io.lockstep.lab;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The lab's Kosmos setup as written in {@code config/lab/kosmos.yml}: the member clusters joined to
 * the host cluster (each with its own nodes), the objects the host gets on top of the Proton
 * platform (the MySQL cluster P6 moves) and the real MySQL/MariaDB server the lab's MySQL operator
 * keeps each MysqlCluster's data in (null: none, and a query to a lab MySQL cluster fails saying
 * so). Validated when loaded, so a broken file fails at start-up naming the offending entry.
 */
public record KosmosSeed(List<Member> members, List<Map<String, Object>> hostObjects, Database database) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public KosmosSeed {
    members = List.copyOf(members == null ? List.of() : members);
    hostObjects = List.copyOf(hostObjects == null ? List.of() : hostObjects);
    Set<String> names = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    for (Member m : members) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("kosmos seed: member " + m.name() + " is listed twice");
      }
      m.nodes().forEach(n -> {
        if (!nodes.add(n.name())) {
          throw new IllegalArgumentException("kosmos seed: node " + n.name() + " is in two members");
        }
      });
    }
  }

  /** Reads and validates a Kosmos seed file. */
  public static KosmosSeed read(InputStream in) throws IOException {
    ObjectMapper yaml = YAMLMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
    return yaml.readValue(in, KosmosSeed.class);
  }

  /**
   * The database server behind the lab's MySQL clusters: a JDBC URL of a MySQL or MariaDB server
   * ({@code jdbc:mariadb://127.0.0.1:3306/}) and an account that may create databases and users.
   * The lab's operator gives each MysqlCluster one database and one user of its own there, the
   * user's password being the cluster's root password (its Secret's {@code ROOT_PASSWORD}).
   */
  public record Database(String url, String user, String password) {
    public Database {
      if (url == null || !url.matches("jdbc:(mariadb|mysql)://[^/?]+/?")) {
        throw new IllegalArgumentException("kosmos seed: database url must be jdbc:mariadb://HOST:PORT/ (no database"
            + " or options), not '" + url + "'");
      }
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("kosmos seed: database user is missing");
      }
      url = url.endsWith("/") ? url : url + "/";
      password = password == null ? "" : password;
    }

    @Override
    public String toString() {
      return url + " as " + user; // never the password
    }
  }

  /** A member cluster: its name (a DNS label; its context is {@code lockstep-NAME}) and its nodes. */
  public record Member(String name, List<LabSeed.Node> nodes) {
    public Member {
      if (name == null || !DNS_LABEL.matcher(name).matches()) {
        throw new IllegalArgumentException("kosmos seed: bad member name '" + name + "'");
      }
      nodes = List.copyOf(nodes == null ? List.of() : nodes);
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("kosmos seed: member " + name + " has no nodes");
      }
    }
  }
}
