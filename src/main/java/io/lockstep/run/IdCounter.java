package io.lockstep.run;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Readable ids from {@code id_counter}: call inside the transaction that stores the new row. */
final class IdCounter {

  private IdCounter() {}

  static long next(JdbcClient jdbc, String name) {
    jdbc.sql("UPDATE id_counter SET last_value = last_value + 1 WHERE name = :name").param("name", name).update();
    return jdbc.sql("SELECT last_value FROM id_counter WHERE name = :name").param("name", name)
        .query(Long.class).single();
  }
}
