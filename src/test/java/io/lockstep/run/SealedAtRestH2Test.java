package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class SealedAtRestH2Test extends SealedAtRestContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
