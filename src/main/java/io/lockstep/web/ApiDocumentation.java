package io.lockstep.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}: what scripts and other tools can call under
 * {@code /api/**}, with HTTP Basic and the same roles and rules as the pages.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  @Bean
  OpenAPI lockstepApi() {
    return new OpenAPI()
        .info(new Info().title("Lockstep API").version("v1")
            .description("Drive maintenance windows from scripts: inventory, procedures, audit, run logs."))
        .schemaRequirement("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
        .schemaRequirement("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("A personal API token (lst_…) made on the console's API tokens page"))
        .addSecurityItem(new SecurityRequirement().addList("basic"))
        .addSecurityItem(new SecurityRequirement().addList("token"));
  }
}
