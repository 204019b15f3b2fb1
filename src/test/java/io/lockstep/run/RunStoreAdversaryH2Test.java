package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunStoreAdversaryH2Test extends RunStoreAdversaryContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
