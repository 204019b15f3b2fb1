package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunStoreH2Test extends RunStoreContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
