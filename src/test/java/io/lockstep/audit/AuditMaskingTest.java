package io.lockstep.audit;

import io.lockstep.testing.PdfText;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A secret handed to the audit log appears nowhere: not in the rows, not in any export. */
class AuditMaskingTest {

  static final String PLANTED = "Pl4nted-S3cret-9931";
  static final String SHAPED = "hunter2xx";

  AnAuditTrail trail;

  @BeforeEach
  void setUp() {
    trail = AnAuditTrail.on(TestDatabases.h2());
    trail.masker.runRead("r-9", List.of(PLANTED));
    trail.log.append("SECRET_UPDATED", "op1", "r-9",
        "Set the MariaDB password to " + PLANTED + " with password=" + SHAPED,
        Map.of("command", "mysql -uroot -p" + PLANTED + " -e 'select 1'",
            "password", "plain-but-keyed-" + SHAPED,
            "steps", List.of("echo " + PLANTED, Map.of("env", "DB_PASSWORD=" + SHAPED)),
            "exit", 0));
  }

  @Test
  void storedRowsHoldOnlyTheMask() {
    String everything = trail.jdbc.sql("SELECT * FROM audit_event").query((rs, n) -> {
      StringBuilder row = new StringBuilder();
      for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
        row.append(rs.getString(c)).append('|');
      }
      return row.toString();
    }).list().toString();
    assertThat(everything).doesNotContain(PLANTED).doesNotContain(SHAPED).contains("******");
    assertThat(trail.log.verify().ok()).as("masking happens before hashing").isTrue();
  }

  @Test
  void noExportHoldsTheSecret() {
    for (ExportFormat format : ExportFormat.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AuditExports.Export export = trail.exports.start(format, AuditFilter.forRun("r-9"), true, "viewer");
      trail.exports.write(export, AnAuditTrail.ENGLISH, out);
      String text = format == ExportFormat.PDF
          ? PdfText.of(out.toByteArray()).squeezed()
          : PdfText.squeeze(out.toString(StandardCharsets.UTF_8));
      assertThat(text).as(format.name())
          .contains("SettheMariaDBpasswordto******")
          .doesNotContain(PLANTED)
          .doesNotContain(SHAPED);
    }
  }
}
