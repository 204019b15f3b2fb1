package io.lockstep.system;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class ApiTokensH2Test extends ApiTokensContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
