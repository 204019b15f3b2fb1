package io.lockstep.audit;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class AuditLogH2Test extends AuditLogContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
