package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunStoreAdversaryPostgresTest extends RunStoreAdversaryContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
