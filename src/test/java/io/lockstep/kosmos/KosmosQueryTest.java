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

  @Test
  void aSelectThatWritesLocksWaitsOrHidesTextInACommentIsRefused() {
    for (String bad : new String[] {"SELECT * FROM t INTO OUTFILE '/tmp/x'", "SELECT 1 INTO @a",
        "SELECT * FROM t INTO DUMPFILE '/tmp/y'", "SELECT * FROM t FOR UPDATE", "SELECT * FROM t LOCK IN SHARE MODE",
        "SELECT * FROM t FOR SHARE", "SELECT SLEEP(100000)", "SELECT sleep (5)", "SELECT GET_LOCK('x', 10)",
        "SELECT BENCHMARK(100000000, MD5('a'))", "SELECT 1 /*!50000 , (SELECT 1 FROM t FOR UPDATE) */",
        "SELECT 1 -- ", "SELECT 1 # x", "SELECT LOAD_FILE('/etc/passwd')", "SELECT NEXTVAL(s)", "SELECT 1\rDROP TABLE t"}) {
      assertThatThrownBy(() -> KosmosQuery.params(params(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("param 'query'");
      assertThat(new KosmosQueryCheck().valueProblems(Map.of("query", bad))).as(bad).singleElement()
          .satisfies(p -> assertThat(p.parameter()).isEqualTo("query"));
    }
    assertThat(new KosmosQueryCheck().valueProblems(Map.of("query", "SELECT COUNT(*) FROM orders"))).isEmpty();
    assertThat(new KosmosQueryCheck().procedureId()).isEqualTo("move-mysql-kosmos");
  }

  @Test
  void theStatementSentIsBoundedInTimeOnMariadbAndMysqlAndTheSessionIsReadOnly() {
    assertThat(KosmosQuery.bounded("select @@hostname")).isEqualTo("/*M!100108 SET STATEMENT max_statement_time=30 FOR */"
        + " SELECT /*+ MAX_EXECUTION_TIME(30000) */ @@hostname");
    assertThat(KosmosQuery.bounded("SHOW DATABASES")).startsWith("/*M!100108 SET STATEMENT max_statement_time=30 FOR */");
    assertThat(KosmosQuery.SCRIPT).contains("--init-command=\"SET SESSION TRANSACTION READ ONLY\"");
  }

  @Test
  void aHugeAnswerIsCutNotHeld() throws Exception {
    KosmosQuery.Capped out = new KosmosQuery.Capped();
    byte[] line = "row\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < 100_000; i++) {
      out.write(line);
    }
    assertThat(out.text()).hasSize(KosmosQuery.MAX_BYTES);
    assertThat(out.cut).isEqualTo(100_000L * line.length - KosmosQuery.MAX_BYTES);
  }
}
