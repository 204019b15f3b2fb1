package io.lockstep.procedure;

import static io.lockstep.procedure.AProcedure.YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProceduresTest {

  @TempDir
  Path dir;

  @Test
  void aMissingUserFolderMeansOnlyTheBuiltIns() {
    Procedures procedures = catalog(dir.resolve("absent"));

    assertThat(procedures.all()).extracting(Procedure::id)
        .contains("demo-node-check", "restart-master-node", "restart-worker-node");
    assertThat(procedures.problems()).isEmpty();
    assertThat(procedures.definitions()).allMatch(Definition::builtIn);
  }

  @Test
  void userProceduresJoinTheCatalogAfterTheBuiltIns() throws IOException {
    Files.writeString(dir.resolve("sample.yml"), YAML);
    Procedures procedures = catalog(dir);

    assertThat(procedures.byId("sample")).isPresent();
    assertThat(procedures.all().get(procedures.all().size() - 1).id()).isEqualTo("sample");
    Definition sample = procedures.definitions().stream().filter(d -> d.id().equals("sample")).findFirst().orElseThrow();
    assertThat(sample.builtIn()).isFalse();
    assertThat(sample.source()).isEqualTo(dir.resolve("sample.yml").toString());
    assertThat(sample.contentHash()).isEqualTo(sample.procedure().contentHash());
  }

  @Test
  void aBrokenUserFileIsReportedAndLeftOutWithoutStoppingTheConsole() throws IOException {
    Files.writeString(dir.resolve("good.yml"), YAML);
    Files.writeString(dir.resolve("typo.yaml"), AProcedure.yamlWith("repeatable: true", "repeatible: true")
        .replace("id: sample", "id: typo"));
    Files.writeString(dir.resolve("notes.txt"), "not a procedure");
    Procedures procedures = catalog(dir);

    assertThat(procedures.byId("sample")).isPresent();
    assertThat(procedures.byId("typo")).isEmpty();
    assertThat(procedures.problems()).extracting(Problem::toString).containsExactly(
        dir.resolve("typo.yaml") + ":18: unknown key 'repeatible' in step 'kubelet' of phase 'check' (did you mean 'repeatable'?)",
        dir.resolve("typo.yaml") + ":13: step 'kubelet' of phase 'check' has no 'repeatable': say true if running"
            + " it twice is safe, false if not (after a crash the engine runs a repeatable step again and stops at any other)");
  }

  @Test
  void aUserFileCannotTakeAnIdInUse() throws IOException {
    Files.writeString(dir.resolve("a.yml"), YAML);
    Files.writeString(dir.resolve("b.yml"), YAML);
    Files.writeString(dir.resolve("c.yml"), YAML.replace("id: sample", "id: demo-node-check"));
    Procedures procedures = catalog(dir);

    assertThat(procedures.problems()).extracting(Problem::toString).containsExactly(
        dir.resolve("b.yml") + ":1: procedure id 'sample' is already taken by " + dir.resolve("a.yml") + "; choose another id",
        dir.resolve("c.yml") + ":1: procedure id 'demo-node-check' is already taken by"
            + " config/procedures/demo-node-check.yml; choose another id");
  }

  @Test
  void reloadRereadsTheUserFolder() throws IOException {
    Procedures procedures = catalog(dir);
    assertThat(procedures.byId("sample")).isEmpty();

    Files.writeString(dir.resolve("sample.yml"), YAML);
    assertThat(procedures.reload()).isEmpty();
    assertThat(procedures.byId("sample")).isPresent();

    Files.writeString(dir.resolve("sample.yml"), YAML.replace("budget: 3m", "budget: 3 minutes"));
    assertThat(procedures.reload()).hasSize(1);
    assertThat(procedures.byId("sample")).isEmpty();
  }

  @Test
  void aBrokenBuiltInStopsStartUpListingEveryProblem() throws IOException {
    Path builtIns = Files.createDirectories(dir.resolve("builtin"));
    Files.writeString(builtIns.resolve("one.yml"), YAML.replace("type: ssh.exec", "type: ssh.exc"));
    Files.writeString(builtIns.resolve("two.yml"), YAML.replace("budget: 3m", "budget: later"));

    ProcedureLoadException e = catchThrowableOfType(ProcedureLoadException.class, () -> new Procedures(
        new ProcedureProperties(dir.resolve("absent")), StepTypes.documented(), builtIns.toUri() + "*.yml"));

    assertThat(e.problems()).extracting(Problem::toString).containsExactly(
        "config/procedures/one.yml:14: step 'kubelet' of phase 'check' has unknown type 'ssh.exc' (did you mean 'ssh.exec'?)",
        "config/procedures/two.yml:11: 'budget' of phase 'check': 'later' is not a duration (write it like 90s, 3m or 1h30m)");
    assertThat(e.getMessage()).startsWith("2 problems in procedure definitions:\n  config/procedures/one.yml:14:");
  }

  @Test
  void aUserDirThatIsAFileIsAProblem() throws IOException {
    Path file = Files.writeString(dir.resolve("procedures.d"), "x");
    assertThat(catalog(file).problems()).singleElement().asString().contains("is not a folder");
  }

  private static Procedures catalog(Path userDir) {
    return new Procedures(new ProcedureProperties(userDir), StepTypes.documented(), Procedures.BUILT_IN);
  }
}
