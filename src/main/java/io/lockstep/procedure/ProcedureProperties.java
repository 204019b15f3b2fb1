package io.lockstep.procedure;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where procedures come from, besides the built-ins shipped inside the console.
 *
 * @param userDir the folder of the site's own procedures: every {@code *.yml} and {@code *.yaml}
 *     file directly in it is one procedure. Relative to the working directory, next to the site's
 *     {@code config/application.yml}. A missing folder means no user procedures. A broken file is
 *     listed on the procedures page and left out; it does not stop the console. Re-read on {@link
 *     Procedures#reload()}.
 */
@Validated
@ConfigurationProperties("lockstep.procedure")
public record ProcedureProperties(@DefaultValue("config/procedures.d") @NotNull Path userDir) {}
