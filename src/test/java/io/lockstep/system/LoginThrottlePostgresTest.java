package io.lockstep.system;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class LoginThrottlePostgresTest extends LoginThrottleContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
