package io.lockstep.run;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class SealedAtRestPostgresTest extends SealedAtRestContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
