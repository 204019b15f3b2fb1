package io.lockstep.system;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class LoginThrottleH2Test extends LoginThrottleContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
