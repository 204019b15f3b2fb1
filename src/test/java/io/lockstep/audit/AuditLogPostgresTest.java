package io.lockstep.audit;

import io.lockstep.testing.TestDatabases;
import javax.sql.DataSource;

class AuditLogPostgresTest extends AuditLogContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
