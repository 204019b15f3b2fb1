package io.lockstep.sshsteps;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The node addresses {@link NodeAddresses} read from the API, kept in the database: a console
 * restarted while the cluster's API is down still knows where its nodes are.
 */
@Component
class RememberedAddresses {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Map<String, String> written = new HashMap<>();

  RememberedAddresses(DataSource dataSource, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.clock = clock;
  }

  /** Keeps every address that is new or changed since this console last wrote it. */
  synchronized void remember(Map<String, String> addresses) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    addresses.forEach((node, address) -> {
      if (address.equals(written.get(node))) {
        return;
      }
      int updated = jdbc.sql("UPDATE node_address SET address = :address, seen_at = :at WHERE node = :node")
          .param("address", address).param("at", now).param("node", node).update();
      if (updated == 0) {
        jdbc.sql("INSERT INTO node_address (node, address, seen_at) VALUES (:node, :address, :at)")
            .param("node", node).param("address", address).param("at", now).update();
      }
      written.put(node, address);
    });
  }

  /** The address last seen for {@code node}, if it was ever seen. */
  Optional<String> addressOf(String node) {
    return jdbc.sql("SELECT address FROM node_address WHERE node = :node").param("node", node)
        .query(String.class).optional();
  }
}
