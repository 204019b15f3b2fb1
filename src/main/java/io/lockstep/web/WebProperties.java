package io.lockstep.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the REST API guards itself.
 *
 * @param apiMaxRequestSize the largest request body {@code /api/**} reads; a larger one is refused
 *     with 413 before it is parsed (plans and decisions are a few KB)
 */
@Validated
@ConfigurationProperties("lockstep.web")
record WebProperties(@DefaultValue("1MB") @NotNull DataSize apiMaxRequestSize) {

  WebProperties {
    if (apiMaxRequestSize != null && apiMaxRequestSize.toBytes() < 1024) {
      throw new IllegalArgumentException("lockstep.web.api-max-request-size must be at least 1KB, got "
          + apiMaxRequestSize);
    }
  }
}
