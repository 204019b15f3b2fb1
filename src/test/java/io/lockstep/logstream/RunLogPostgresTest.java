package io.lockstep.logstream;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunLogPostgresTest extends RunLogContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
