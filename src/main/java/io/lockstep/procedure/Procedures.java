package io.lockstep.procedure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The catalog of procedures: the built-ins shipped in the jar ({@value #BUILT_IN}) and the site's
 * own from {@link ProcedureProperties#userDir()}, read at start-up.
 *
 * <p>A broken built-in stops start-up with every problem listed ({@link ProcedureLoadException}):
 * the console must not run with a procedure it ships half-understood. A broken user file is
 * logged, listed by {@link #problems()} and left out; so is a user file whose id is already taken.
 * {@link #reload()} re-reads the user folder; readers always see a complete catalog, old or new.
 */
@Component
public class Procedures {

  static final String BUILT_IN = "classpath*:lockstep-config/procedures/*.yml";
  static final String BUILT_IN_SOURCE = "config/procedures/";
  private static final Logger log = LoggerFactory.getLogger(Procedures.class);

  private final ProcedureLoader loader;
  private final Path userDir;
  private final List<Definition> builtIns;
  private volatile Catalog catalog;

  @Autowired
  public Procedures(ProcedureProperties properties, ObjectProvider<StepTypes> stepTypes) {
    this(properties, stepTypes.getIfAvailable(StepTypes::documented), BUILT_IN);
  }

  Procedures(ProcedureProperties properties, StepTypes stepTypes, String builtInPattern) {
    this.loader = new ProcedureLoader(stepTypes);
    this.userDir = properties.userDir();
    this.builtIns = builtIns(builtInPattern);
    reload();
  }

  /** Every loaded procedure: built-ins first, then user procedures, each in file name order. */
  public List<Procedure> all() {
    return catalog.definitions().stream().map(Definition::procedure).toList();
  }

  public Optional<Procedure> byId(String id) {
    return catalog.definitions().stream().filter(d -> d.id().equals(id)).map(Definition::procedure).findFirst();
  }

  /** The problems of the user files at the last (re)load; built-ins have none, or we would not run. */
  public List<Problem> problems() {
    return catalog.problems();
  }

  /** Re-reads the user folder and returns its problems; built-ins are kept as they are. */
  public synchronized List<Problem> reload() {
    List<Definition> definitions = new ArrayList<>(builtIns);
    List<Problem> problems = new ArrayList<>();
    for (Path file : userFiles(problems)) {
      String source = file.toString();
      try (InputStream in = Files.newInputStream(file)) {
        Definition loaded = loader.load(source, in, false);
        Optional<Definition> taken = definitions.stream().filter(d -> d.id().equals(loaded.id())).findFirst();
        if (taken.isPresent()) {
          problems.add(new Problem(source, loaded.idLine(), "procedure id '" + loaded.id()
              + "' is already taken by " + taken.get().source() + "; choose another id"));
        } else {
          definitions.add(loaded);
        }
      } catch (ProcedureLoadException e) {
        problems.addAll(e.problems());
      } catch (IOException e) {
        problems.add(new Problem(source, 0, "cannot be read: " + e.getMessage()));
      }
    }
    problems.forEach(p -> log.warn("procedure left out: {}", p));
    catalog = new Catalog(List.copyOf(definitions), List.copyOf(problems));
    log.info("procedures: {} built-in, {} from {}, {} problem(s)", builtIns.size(),
        definitions.size() - builtIns.size(), userDir, problems.size());
    return catalog.problems();
  }

  /** The loaded definitions with their sources and hashes, for the pages and the API. */
  List<Definition> definitions() {
    return catalog.definitions();
  }

  Path userDir() {
    return userDir;
  }

  private List<Definition> builtIns(String pattern) {
    List<Definition> found = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Definition> byId = new HashMap<>();
    for (Resource resource : resources(pattern)) {
      String source = BUILT_IN_SOURCE + resource.getFilename();
      try (InputStream in = resource.getInputStream()) {
        Definition loaded = loader.load(source, in, true);
        Definition taken = byId.putIfAbsent(loaded.id(), loaded);
        if (taken != null) {
          problems.add(new Problem(source, loaded.idLine(), "procedure id '" + loaded.id()
              + "' is already taken by " + taken.source()));
        }
        found.add(loaded);
      } catch (ProcedureLoadException e) {
        problems.addAll(e.problems());
      } catch (IOException e) {
        problems.add(new Problem(source, 0, "cannot be read: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProcedureLoadException(problems);
    }
    return List.copyOf(found);
  }

  private static List<Resource> resources(String pattern) {
    try {
      return Arrays.stream(new PathMatchingResourcePatternResolver().getResources(pattern))
          .sorted(Comparator.comparing(r -> String.valueOf(r.getFilename())))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the built-in procedures at " + pattern, e);
    }
  }

  private List<Path> userFiles(List<Problem> problems) {
    if (!Files.exists(userDir)) {
      return List.of();
    }
    if (!Files.isDirectory(userDir)) {
      problems.add(new Problem(userDir.toString(), 0, "is not a folder; lockstep.procedure.user-dir names the folder of user procedures"));
      return List.of();
    }
    try (Stream<Path> files = Files.list(userDir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".yml") || f.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(new Problem(userDir.toString(), 0, "cannot be listed: " + e.getMessage()));
      return List.of();
    }
  }

  /** One consistent state of the catalog, swapped as a whole. */
  private record Catalog(List<Definition> definitions, List<Problem> problems) {}
}
