package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.KosmosSeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shell of the lab's containers (what {@code kosmos.query} sends through exec) and the lab's
 * database server being absent: a query then fails with mysql's own error, naming the address.
 */
class KosmosContainerShellTest {

  private final List<List<String>> ran = new ArrayList<>();
  private final List<Map<String, String>> envs = new ArrayList<>();

  private PodExec.Result run(String... argv) {
    return ContainerShell.run(List.of(argv), Map.of("MYSQL_ROOT_PASSWORD", "s3cret pass"), (words, env) -> {
      ran.add(words);
      envs.add(env);
      return new PodExec.Result(0, "", "");
    });
  }

  @Test
  void positionalParametersAndVariablesAreExpandedOnceAndNeverReparsed() {
    run("sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysql --host=\"$1\" --execute=\"$2\"", "q",
        "mysql-mysql-master", "SELECT '$HOME' FROM t WHERE a = \"x\"");
    assertThat(ran).containsExactly(List.of("mysql", "--host=mysql-mysql-master",
        "--execute=SELECT '$HOME' FROM t WHERE a = \"x\""));
    assertThat(envs.get(0)).containsEntry("MYSQL_PWD", "s3cret pass");
  }

  @Test
  void singleQuotesKeepTheirTextAndACommandWithoutShellRunsAsGiven() {
    run("sh", "-c", "mysql -h h -e 'SELECT $1'", "q", "x");
    run("mysql", "-e", "SELECT 1");
    assertThat(ran).containsExactly(List.of("mysql", "-h", "h", "-e", "SELECT $1"), List.of("mysql", "-e", "SELECT 1"));
  }

  @Test
  void moreThanOneSimpleCommandIsRefusedNotHalfRun() {
    for (String script : new String[] {"mysql -e 'SELECT 1'; rm -rf /", "mysql | cat", "echo $(id)", "mysql > /tmp/x"}) {
      PodExec.Result result = run("sh", "-c", script);
      assertThat(result.exit()).as(script).isEqualTo(2);
      assertThat(result.err()).as(script).contains("one simple command");
    }
    assertThat(ran).isEmpty();
  }

  @Test
  void withoutTheDatabaseServerAQueryFailsWithMysqlsErrorNamingTheAddressAndNothingThrows() {
    MysqlDatabases none = new MysqlDatabases(new KosmosSeed.Database("jdbc:mariadb://127.0.0.1:1/", "root", ""));
    none.ensure("mysql", "mysql", "pw"); // logged, not thrown: the lab starts without the server
    try {
      none.run("mysql", "mysql", "mysql-mysql-master", "root", "pw", "SELECT 1");
      throw new AssertionError("a query reached no server");
    } catch (MysqlDatabases.ServerError e) {
      assertThat(e.code).isEqualTo(2002);
      assertThat(e.getMessage()).contains("Can't connect to MySQL server on 'mysql-mysql-master'")
          .contains("jdbc:mariadb://127.0.0.1:1/");
    }
  }
}
