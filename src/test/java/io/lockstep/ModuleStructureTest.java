package io.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/** Keeps the package-by-feature picture of DESIGN.md true: no cycles, no reaching into internals. */
class ModuleStructureTest {

  /** Main code only, whatever the build directory is called (tests may use field injection). */
  static final ImportOption MAIN_CLASSES_ONLY = location -> !location.contains("/test-classes/");

  static final ApplicationModules MODULES = ApplicationModules.of(LockstepApplication.class, MAIN_CLASSES_ONLY);

  @Test
  void modulesRespectTheirBoundaries() {
    MODULES.verify();
  }

  @Test
  void nothingDependsOnTheLab() {
    ApplicationModule lab = MODULES.getModuleByName("lab").orElseThrow();
    MODULES.stream()
        .filter(m -> !m.equals(lab))
        .forEach(m -> assertThat(m.getDirectDependencies(MODULES).stream().map(d -> d.getTargetModule().getName()))
            .as("module %s must not depend on the lab", m.getName())
            .doesNotContain("lab"));
  }
}
