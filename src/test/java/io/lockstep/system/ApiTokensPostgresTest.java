package io.lockstep.system;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class ApiTokensPostgresTest extends ApiTokensContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
