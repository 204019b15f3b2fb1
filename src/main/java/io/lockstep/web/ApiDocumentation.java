package io.lockstep.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}: what scripts and other tools can call under
 * {@code /api/**}, with HTTP Basic and the same roles and rules as the pages. Besides what springdoc
 * reads from the controllers, every operation lists the problems it can answer ({@code
 * application/problem+json}, schema {@code Problem}); the run log's event stream is described by
 * {@code LogEvent} and {@code LogLine}; framework types never appear as schemas; no media type is
 * {@code *}{@code /*}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  static final String PROBLEM_JSON = "application/problem+json";
  private static final String PROBLEM = "#/components/schemas/Problem";
  private static final Set<String> FRAMEWORK_TYPES = Set.of("SseEmitter", "StreamingResponseBody", "ResponseBodyEmitter");

  @Bean
  OpenAPI lockstepApi() {
    return new OpenAPI()
        .info(new Info().title("Lockstep API").version("v1")
            .description("""
                Drive maintenance windows from scripts: inventory, procedures, audit, run logs.

                Every error is an RFC 9457 problem (`application/problem+json`: type, title, status,
                detail, instance): 400 malformed request or value, 401 no or bad credentials (with a
                Basic challenge), 403 roles do not allow it, 404 no such thing, 405 method not taken
                by the path (any path, any method it does not list), 409 not in the current state, 413
                body over the limit (1 MB by default), 415 body of another content type, 500 internal
                error (the detail names an id to find in the console's log)."""))
        .schemaRequirement("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
        .schemaRequirement("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("A personal API token (lst_…) made on the console's API tokens page"))
        .addSecurityItem(new SecurityRequirement().addList("basic"))
        .addSecurityItem(new SecurityRequirement().addList("token"));
  }

  @Bean
  OpenApiCustomizer errorContract() {
    return openApi -> {
      openApi.getComponents().addSchemas("Problem", problemSchema());
      openApi.getComponents().addSchemas("LogLine", logLineSchema());
      openApi.getComponents().addSchemas("LogEvent", logEventSchema());
      if (openApi.getComponents().getSchemas() != null) {
        FRAMEWORK_TYPES.forEach(openApi.getComponents().getSchemas()::remove);
        openApi.getComponents().getSchemas().forEach((name, schema) -> nullableUnlessRequired(schema));
      }
      if (openApi.getPaths() != null) {
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
            complete(path, method, operation)));
      }
    };
  }

  private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
    ApiResponses responses = operation.getResponses();
    boolean otherSuccess = responses.keySet().stream().anyMatch(code -> code.startsWith("2") && !code.equals("200"));
    if (otherSuccess) {
      responses.remove("200"); // springdoc's default; the operation says what it answers
    }
    responses.values().forEach(ApiDocumentation::concreteMediaTypes);
    boolean reads = method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.HEAD;
    problem(responses, "400", "Malformed request: URL, parameter or body");
    problem(responses, "401", "No credentials, or credentials that do not authenticate");
    if (!reads || path.equals("/api/tokens")) {
      problem(responses, "403", "The caller's roles do not allow this");
    }
    problem(responses, "404", "No such thing (an id, a run, a path)");
    if (!reads) {
      problem(responses, "409", "Not in the current state");
      problem(responses, "413", "Request body larger than the API takes");
      problem(responses, "415", "Request body of a content type the operation does not take");
    }
    problem(responses, "500", "Internal error; the detail names an id in the console's log");
    if (path.contains("/actions/")) {
      problem(responses, "502", "The action ran and failed on the platform");
    }
    if (path.endsWith("/log")) {
      problem(responses, "503", "The console is stopping; retry (Retry-After)");
    }
  }

  /** Replaces springdoc's {@code *}{@code /*} (no {@code produces}) with what the API writes. */
  private static void concreteMediaTypes(ApiResponse response) {
    Content content = response.getContent();
    if (content == null) {
      return;
    }
    MediaType any = content.remove("*/*");
    if (any != null && content.isEmpty()) {
      content.addMediaType("application/json", any);
    }
    content.values().forEach(media -> {
      Schema<?> schema = media.getSchema();
      if (schema != null && schema.get$ref() != null
          && FRAMEWORK_TYPES.stream().anyMatch(t -> schema.get$ref().endsWith("/" + t))) {
        media.setSchema(new StringSchema());
      }
    });
  }

  private static void problem(ApiResponses responses, String code, String description) {
    ApiResponse response = responses.computeIfAbsent(code, c -> new ApiResponse().description(description));
    if (response.getContent() == null) {
      response.setContent(new Content());
    }
    response.getContent().remove("*/*");
    response.getContent().remove("application/json");
    response.getContent().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM)));
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("An RFC 9457 problem: every error of the API")
        .addProperty("type", new StringSchema().description("always about:blank: the status says what happened"))
        .addProperty("title", new StringSchema().description("the status's name"))
        .addProperty("status", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
            .maximum(java.math.BigDecimal.valueOf(599)))
        .addProperty("detail", new StringSchema().description("what went wrong, for a person"))
        .addProperty("instance", new StringSchema().description("the request's path"))
        .addProperty("errorId", new StringSchema().description("5xx only: the id of the failure in the console's log"))
        .required(List.of("type", "title", "status", "detail"));
  }

  private static Schema<?> logLineSchema() {
    return new ObjectSchema()
        .description("One stored line of a run's log: the data of a line event with ?format=json")
        .addProperty("seq", new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ONE)
            .description("the line's number in the run's log, from 1 without gaps; also the event's id"))
        .addProperty("at", new StringSchema().format("date-time"))
        .addProperty("step", nullableString("the step (phase.step) that wrote the line"))
        .addProperty("node", nullableString("the node the line came from"))
        .addProperty("stream", new StringSchema()._enum(List.of("out", "err", "sys")))
        .addProperty("text", new StringSchema().description("the line, secrets masked"))
        .required(List.of("seq", "at", "stream", "text"));
  }

  private static Schema<?> logEventSchema() {
    Schema<?> data = new Schema<>().oneOf(List.of(
        new Schema<>().$ref("#/components/schemas/LogLine"),
        new StringSchema().description("event line without ?format=json: the line as one HTML element;"
            + " event end: the last seq")));
    return new ObjectSchema()
        .description("One event of a run's log stream (text/event-stream): `line` events (id = seq) from after"
            + " Last-Event-ID or else the tail, then live; `end` when the log is finished; comments as heartbeats")
        .addProperty("id", new StringSchema().pattern("^[0-9]+$").description("the line's seq (line events)"))
        .addProperty("event", new StringSchema()._enum(List.of("line", "end")))
        .addProperty("data", data)
        .required(List.of("event", "data"));
  }

  /**
   * The API writes a record's absent values as {@code null}: every property a schema does not
   * require may be null, and the document says so (a validator of the answers would refuse them).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void nullableUnlessRequired(Schema<?> schema) {
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    Map<String, Schema> properties = (Map) schema.getProperties();
    properties.replaceAll((name, property) -> {
      if (required.contains(name)) {
        return property;
      }
      if (property.get$ref() != null) {
        return new Schema<>().anyOf(List.of(new Schema<>().$ref(property.get$ref()), nullSchema()));
      }
      java.util.Set<String> types = property.getTypes() != null ? new java.util.LinkedHashSet<>(property.getTypes())
          : property.getType() != null ? new java.util.LinkedHashSet<>(List.of(property.getType())) : null;
      if (types != null) {
        types.add("null");
        property.setTypes(types);
      }
      return property;
    });
  }

  private static Schema<?> nullSchema() {
    Schema<?> none = new Schema<>();
    none.setTypes(new java.util.LinkedHashSet<>(List.of("null")));
    return none;
  }

  private static Schema<?> nullableString(String description) {
    Schema<?> s = new StringSchema().description(description);
    s.setNullable(true);
    s.setTypes(new java.util.LinkedHashSet<>(List.of("string", "null")));
    return s;
  }

}
