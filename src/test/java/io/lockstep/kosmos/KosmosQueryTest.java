package io.lockstep.kosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The params of {@code kosmos.query}: one read-only statement on one line, a MySQL user name. */
class KosmosQueryTest {

  private static Map<String, Object> params(Object query) {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("namespace", "mysql", "name", "mysql",
        "replicas", java.util.List.of("node-4", "member-1")));
    if (query != null) {
      params.put("query", query);
    }
    return params;
  }

  @Test
  void aSelectOrShowOnOneLineIsTakenAndTheDefaultAsksTheHostname() {
    assertThat(KosmosQuery.params(params(null)).statement()).isEqualTo("SELECT @@hostname");
    assertThat(KosmosQuery.params(params("  select count(*) from orders ")).statement())
        .isEqualTo("select count(*) from orders");
    assertThat(KosmosQuery.params(params("SHOW DATABASES")).statement()).isEqualTo("SHOW DATABASES");
    assertThat(KosmosQuery.params(params(null)).user()).isEqualTo("root");
    assertThat(KosmosQuery.params(params(null)).cluster().service()).isEqualTo("mysql-mysql-master");
  }

  @Test
  void aStatementThatCouldChangeSomethingOrSeveralStatementsAreRefused() {
    for (String bad : new String[] {"DROP DATABASE test", "SELECT 1; DROP TABLE t", "SELECT 1\nSELECT 2", "",
        "SELECTION", "UPDATE t SET a = 1"}) {
      assertThatThrownBy(() -> KosmosQuery.params(params(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one SELECT or SHOW statement");
    }
  }

  @Test
  void aUserThatIsNotAMysqlNameIsRefused() {
    Map<String, Object> params = params(null);
    params.put("user", "root' --");
    assertThatThrownBy(() -> KosmosQuery.params(params)).hasMessageContaining("param 'user'");
  }

  @Test
  void theClientsScriptTakesThePasswordFromTheContainerAndEveryOtherWordAsAParameter() {
    assertThat(KosmosQuery.SCRIPT).contains("MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\"").contains("--execute=\"$4\"")
        .doesNotContain("SELECT");
  }
}
