package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunStorePostgresTest extends RunStoreContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
