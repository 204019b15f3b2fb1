package io.lockstep.logstream;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class RunLogH2Test extends RunLogContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
