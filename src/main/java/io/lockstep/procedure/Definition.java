package io.lockstep.procedure;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/**
 * A procedure as the catalog holds it: where it was read from and its content hash.
 *
 * @param procedure the definition
 * @param source the file it was read from, as problems name it
 * @param idLine the line of its {@code id}, for problems about the id (0 if unknown)
 * @param builtIn whether it ships with Lockstep (a user file cannot take its id)
 * @param contentHash {@link Procedure#contentHash()}, computed once
 */
record Definition(Procedure procedure, String source, @JsonIgnore int idLine, boolean builtIn, String contentHash) {

  Definition {
    Objects.requireNonNull(procedure, "procedure");
    Objects.requireNonNull(source, "source");
  }

  Definition(Procedure procedure, String source, int idLine, boolean builtIn) {
    this(procedure, source, idLine, builtIn, procedure.contentHash());
  }

  String id() {
    return procedure.id();
  }
}
