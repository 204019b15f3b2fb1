package io.lockstep.procedure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Loads one procedure file: YAML with line numbers ({@link YamlNodeParser}), then every check
 * ({@link ProcedureReader}). All problems of a file are reported together.
 */
final class ProcedureLoader {

  private final StepTypes stepTypes;

  ProcedureLoader(StepTypes stepTypes) {
    this.stepTypes = stepTypes;
  }

  /**
   * Reads a procedure from UTF-8 bytes.
   *
   * @param source how problems name the file
   * @throws ProcedureLoadException with every problem of the file
   */
  Definition load(String source, InputStream in, boolean builtIn) throws IOException {
    byte[] bytes = in.readAllBytes();
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return load(source, text, builtIn);
    } catch (CharacterCodingException e) {
      throw new ProcedureLoadException(List.of(new Problem(source, 0, "not UTF-8 text; save the file as UTF-8")));
    }
  }

  /**
   * Reads a procedure from text.
   *
   * @throws ProcedureLoadException with every problem of the file
   */
  Definition load(String source, String text, boolean builtIn) {
    Problems problems = new Problems(source);
    Optional<YamlNode> root = YamlNodeParser.parse(text, problems);
    Optional<Procedure> procedure = root.flatMap(r -> new ProcedureReader(problems, stepTypes).read(r));
    if (!problems.isEmpty() || procedure.isEmpty()) {
      throw new ProcedureLoadException(problems.isEmpty()
          ? List.of(new Problem(source, 0, "holds no procedure")) : problems.list());
    }
    int idLine = root.get() instanceof YamlNode.Mapping m
        ? m.entry("id").map(e -> e.value().line()).orElse(0) : 0;
    return new Definition(procedure.get(), source, idLine, builtIn);
  }
}
